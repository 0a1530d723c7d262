namespace OvnUnidler.Idling;

// Bound from configuration by the host (section Unidler:Idling or similar); the defaults suit
// a real API server.
public sealed class IdlingOptions
{
    // Deadline of each API request; a request that takes longer is a transient failure.
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    // Re-reads after a 409 on one object before the attempt is given up as transient.
    public int ConflictRetries { get; set; } = 5;

    // The delay suggested after a transient failure that names none (no Retry-After).
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    // Event source component and reportingComponent.
    public string Component { get; set; } = "ovn-unidler";

    // Event reportingInstance and source host, e.g. the pod or node name; optional.
    public string? Instance { get; set; }
}
