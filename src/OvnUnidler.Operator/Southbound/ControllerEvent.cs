namespace OvnUnidler.Operator.Southbound;

/// <summary>
/// One Southbound Controller_Event row of type empty_lb_backends, as the watcher saw it.
/// The row's _uuid is its identity: seq_num restarts at 1 with every ovn-controller process
/// (ovn-lab.md), so (chassis, seq_num) cannot name a row over time.
/// </summary>
/// <param name="Chassis">Null when the chassis row was deleted (the column is a weak reference).</param>
/// <param name="SeenAt">When this process saw the row, on its own clock; only used for latency.</param>
public sealed record ControllerEvent(
    Guid RowUuid,
    Guid? Chassis,
    long SeqNum,
    string EventType,
    IReadOnlyDictionary<string, string> EventInfo,
    DateTimeOffset SeenAt);
