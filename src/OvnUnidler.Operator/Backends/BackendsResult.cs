namespace OvnUnidler.Operator.Backends;

/// <summary>How the backends stage of a wake ended, with the times it reached each step (null: not reached).</summary>
public sealed record BackendsResult(bool Present, DateTimeOffset? EndpointsReadyAt, DateTimeOffset? BackendsPresentAt, string? Reason)
{
    public static BackendsResult Ready(DateTimeOffset? endpointsReadyAt, DateTimeOffset backendsPresentAt) =>
        new(true, endpointsReadyAt, backendsPresentAt, null);

    public static BackendsResult TimedOut(DateTimeOffset? endpointsReadyAt, string reason) =>
        new(false, endpointsReadyAt, null, reason);
}
