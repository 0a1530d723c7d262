using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// Holds a woken (or awake) Service's rows until its VIPs can answer: while a row exists,
/// ovn-controller raises no new event for that VIP, so holding it avoids an event storm while
/// pods start. Waiting holds no wake slot. Both waits end early when the Service changes after
/// <c>serviceVersion</c> (someone idled it again) or is deleted: the rows are then mapped again.
/// </summary>
public interface IBackendGate
{
    /// <summary>Until the Service has ready endpoints; <see cref="BackendsResult.Present"/> false at the deadline.</summary>
    Task<BackendsResult> WaitForEndpointsAsync(ServiceKey service, string? serviceVersion, DateTimeOffset deadline, CancellationToken cancellationToken);

    /// <summary>Until every VIP the rows name has backends in the Northbound (rows may join while it waits).</summary>
    Task<BackendsResult> WaitForBackendsAsync(
        ServiceKey service, Func<IReadOnlyList<EmptyBackendsEvent>> events, string? serviceVersion, DateTimeOffset deadline, CancellationToken cancellationToken);
}
