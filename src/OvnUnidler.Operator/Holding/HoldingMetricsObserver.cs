using OvnUnidler.Holding;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.Holding;

/// <summary>The holder engine's reports as the operator's Prometheus metrics (labels per protocol and reason, never per Service).</summary>
public sealed class HoldingMetricsObserver(UnidlerMetrics metrics) : IHoldingObserver
{
    public void ConnectionHeld(string service, HeldPort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        metrics.ConnectionHeld(MetricLabel<HeldProtocol>.Of(port.Protocol));
    }

    public void ConnectionRelayed(string service, HeldPort port, TimeSpan heldFor)
    {
        ArgumentNullException.ThrowIfNull(port);
        metrics.ConnectionRelayed(MetricLabel<HeldProtocol>.Of(port.Protocol), heldFor);
    }

    public void ConnectionReset(string service, HeldPort port, ResetReason reason)
    {
        ArgumentNullException.ThrowIfNull(port);
        metrics.HoldReset(MetricLabel<HeldProtocol>.Of(port.Protocol), MetricLabel<ResetReason>.Of(reason));
    }

    public void DatagramKept(string service, HeldPort port) => metrics.DatagramKept();

    public void DatagramDropped(string service, HeldPort port, DropReason reason)
    {
        ArgumentNullException.ThrowIfNull(port);
        metrics.HoldReset(MetricLabel<HeldProtocol>.Of(port.Protocol), MetricLabel<DropReason>.Of(reason));
    }

    public void BytesRelayed(string service, HeldPort port, RelayDirection direction, long bytes) =>
        metrics.BytesRelayed(MetricLabel<RelayDirection>.Of(direction), bytes);
}
