using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Operator.Recording;

/// <summary>
/// Writes recorded rows into a Southbound, at the recorded pace or as fast as possible. Rows get
/// new uuids (the server assigns them); a recorded chassis that does not exist in the target is
/// dropped by the server (Controller_Event.chassis is a weak reference), which makes such rows
/// orphans, as after a chassis removal.
/// </summary>
public sealed class EventReplayer(OvsdbClient southbound, TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<Guid>> ReplayAsync(IReadOnlyList<RecordedEvent> events, bool recordedPace, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var inserted = new List<Guid>(events.Count);
        IEnumerable<(double Offset, RecordedEvent[] Rows)> groups = recordedPace
            ? events.GroupBy(recorded => recorded.OffsetMilliseconds).Select(group => (group.Key, group.ToArray()))
            : [(0.0, events.ToArray())];
        foreach (var (offset, rows) in groups)
        {
            if (recordedPace)
            {
                var wait = TimeSpan.FromMilliseconds(offset) - timeProvider.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var chunk in rows.Chunk(5000))
            {
                var results = await southbound.TransactAsync(OvnTables.Southbound, [.. chunk.Select(Insert)], cancellationToken).ConfigureAwait(false);
                inserted.AddRange(results.Select(result => result.Uuid ?? Guid.Empty));
            }
        }

        return inserted;
    }

    private static OvsdbOperation Insert(RecordedEvent recorded) => OvsdbOperation.Insert(OvnTables.ControllerEvent, new JsonObject
    {
        ["event_type"] = recorded.EventType,
        ["seq_num"] = recorded.SeqNum,
        ["chassis"] = recorded.Chassis is { } chassis ? OvsdbWire.Uuid(chassis) : OvsdbWire.EmptySet(),
        ["event_info"] = OvsdbWire.Map(recorded.EventInfo),
    });
}
