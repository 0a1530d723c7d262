using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// Holds a woken Service's rows until its VIPs have backends again: while a row exists,
/// ovn-controller raises no new event for that VIP, so holding it avoids an event storm while
/// pods start.
/// </summary>
public interface IBackendGate
{
    Task<BackendsResult> WaitForBackendsAsync(ServiceKey service, IReadOnlyList<EmptyBackendsEvent> events, CancellationToken cancellationToken);
}
