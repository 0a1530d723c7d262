namespace OvnUnidler.Operator.Configuration;

/// <summary>Bound from "Kubernetes". Without a kubeconfig the in-cluster service account is used.</summary>
public sealed class KubernetesOptions
{
    public const string Section = "Kubernetes";

    public string? Kubeconfig { get; set; }

    public string? Context { get; set; }

    /// <summary>Per request timeout for API calls.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
