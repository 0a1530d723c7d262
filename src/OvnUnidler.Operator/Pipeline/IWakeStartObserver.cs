using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Pipeline;

/// <summary>
/// Told when a Service's wake starts, before its first API call: the client's first retransmit
/// comes about a second after the dropped packet that raised the row, so whatever must be in
/// place by then starts here. Must not block the wake.
/// </summary>
public interface IWakeStartObserver
{
    /// <param name="deadline">When the wake stops waiting for backends (Unidler:BackendsTimeout from now).</param>
    void OnWakeStarted(ServiceKey service, DateTimeOffset deadline);
}
