using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Monitoring;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// One monitor of the conversation, as the client holds it: the monitor, the collector its reply
/// streams into, and the updates that arrived before its initial state was applied (the client's
/// notification handler waits for that state, <see cref="ITableMonitor.InitialApplied"/>).
/// </summary>
internal sealed class MonitorSlot(PlannedCall call, ITableMonitor monitor)
{
    private ITableUpdateCollector? collector;

    public PlannedCall Call { get; } = call;

    public ITableMonitor Monitor { get; } = monitor;

    public ITableUpdateCollector Collector => collector ??= Monitor.CreateCollector(Call.IsSince ? 2 : -1);

    public List<MonitorUpdate> Waiting { get; } = [];
}
