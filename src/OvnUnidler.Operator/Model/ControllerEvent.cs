namespace OvnUnidler.Operator.Model;

/// <summary>
/// One Southbound Controller_Event row of type empty_lb_backends, as the watcher saw it.
/// The row's _uuid is its identity: seq_num restarts at 1 with every ovn-controller process
/// (docs/ovn-facts.md), so (chassis, seq_num) cannot name a row over time.
/// </summary>
/// <param name="Chassis">Null when the chassis row was deleted (the column is a weak reference).</param>
/// <param name="SeenAt">When this process saw the row, on its own clock; only used for latency.</param>
/// <param name="ExistedBy">
/// A monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>) by which the row is known to have
/// existed: when it was seen, or for a row of a monitor reply, when that reply's first rows were
/// (the server answered from the table as it was before). Never earlier than the row's creation.
/// </param>
public sealed record ControllerEvent(
    Guid RowUuid,
    Guid? Chassis,
    long SeqNum,
    string EventType,
    IReadOnlyDictionary<string, string> EventInfo,
    DateTimeOffset SeenAt,
    long ExistedBy);
