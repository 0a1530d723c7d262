namespace OvnUnidler.Lab.Kubelet;

public sealed class LabKubeletOptions
{
    /// <summary>Pod annotation with the pod's start-up delay in seconds (e.g. "5"), set on a workload's pod template.</summary>
    public const string StartDelayAnnotation = "lab.ovn-unidler.org/start-delay";

    /// <summary>Start-up delay of pods without <see cref="StartDelayAnnotation"/>.</summary>
    public TimeSpan DefaultStartDelay { get; init; }

    /// <summary>Namespaces whose pods this kubelet runs; empty: every namespace.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>How long a pod may take from its start to its first answer before the kubelet gives up on it.</summary>
    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
