namespace OvnUnidler.Operator.Backends;

/// <summary>How a wait of the backends stage ended, with the times it reached each step (null: not reached).</summary>
public sealed record BackendsResult(bool Present, DateTimeOffset? EndpointsReadyAt, DateTimeOffset? BackendsPresentAt, string? Reason)
{
    public ServiceChange Change { get; init; }

    public static BackendsResult Ready(DateTimeOffset? endpointsReadyAt, DateTimeOffset backendsPresentAt) =>
        new(true, endpointsReadyAt, backendsPresentAt, null);

    public static BackendsResult EndpointsReady(DateTimeOffset endpointsReadyAt) => new(true, endpointsReadyAt, null, null);

    /// <summary>
    /// No Northbound load balancer holds the VIPs (none exists yet, or the rows came from a
    /// database the Northbound view does not cover): ready endpoints are all that can be awaited.
    /// </summary>
    public static BackendsResult WithoutLoadBalancer(DateTimeOffset endpointsReadyAt, string reason) =>
        new(true, endpointsReadyAt, null, reason);

    public static BackendsResult TimedOut(DateTimeOffset? endpointsReadyAt, string reason) =>
        new(false, endpointsReadyAt, null, reason);

    public static BackendsResult Interrupted(ServiceChange change, DateTimeOffset? endpointsReadyAt) =>
        new(false, endpointsReadyAt, null, change == ServiceChange.Gone ? "the Service was deleted" : "the Service changed") { Change = change };
}
