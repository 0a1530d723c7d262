namespace OvnUnidler.Operator.Configuration;

/// <summary>Bound from "LeaderElection"; used in central mode only.</summary>
public sealed class LeaderElectionOptions
{
    public const string Section = "LeaderElection";

    public string LeaseName { get; set; } = "ovn-unidler";

    /// <summary>Defaults to the pod's namespace (POD_NAMESPACE), else "ovn-unidler".</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>Defaults to the pod name (POD_NAME), else the host name.</summary>
    public string? Identity { get; set; }

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}
