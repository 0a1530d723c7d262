namespace OvnUnidler.Lab.Services;

public sealed class LabServicesControllerOptions
{
    /// <summary>Namespaces whose Services the controller serves; empty: every namespace.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Zones (1, 2, ...) whose Northbound gets the load balancers; empty: every zone of the lab.</summary>
    public IReadOnlyList<int> Zones { get; init; } = [];

    /// <summary>How long a failed Northbound write waits before the Service is synced again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}
