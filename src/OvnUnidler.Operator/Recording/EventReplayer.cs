using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Operator.Recording;

/// <summary>
/// Writes recorded rows into a Southbound, at the recorded pace or as fast as possible. Rows get
/// new uuids (the server assigns them). Controller_Event.chassis is a weak reference, so a
/// recorded chassis that does not exist in the target would be dropped by the server; each such
/// chassis is created once (named replayed-UUID) so that a burst from several chassis stays a
/// burst from several chassis. Rows recorded without a chassis stay orphans.
/// </summary>
public sealed class EventReplayer(OvsdbClient southbound, TimeProvider timeProvider)
{
    private const string ChassisTable = "Chassis";
    private const string EncapTable = "Encap";

    public async Task<IReadOnlyList<Guid>> ReplayAsync(IReadOnlyList<RecordedEvent> events, bool recordedPace, CancellationToken cancellationToken)
    {
        var chassis = await MapChassisAsync(events, cancellationToken).ConfigureAwait(false);
        var started = timeProvider.GetTimestamp();
        var inserted = new List<Guid>(events.Count);
        IEnumerable<(double Offset, RecordedEvent[] Rows)> groups = recordedPace
            ? events.GroupBy(recorded => recorded.OffsetMilliseconds).OrderBy(group => group.Key).Select(group => (group.Key, group.ToArray()))
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
                var results = await southbound.TransactAsync(OvnTables.Southbound, [.. chunk.Select(row => Insert(row, chassis))], cancellationToken)
                    .ConfigureAwait(false);
                inserted.AddRange(results.Select(result => result.Uuid ?? Guid.Empty));
            }
        }

        return inserted;
    }

    private async Task<Dictionary<Guid, Guid>> MapChassisAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var recorded = events.Select(row => row.Chassis).OfType<Guid>().Distinct().ToList();
        var mapping = new Dictionary<Guid, Guid>();
        if (recorded.Count == 0)
        {
            return mapping;
        }

        var existing = await southbound.TransactAsync(
            OvnTables.Southbound,
            [OvsdbOperation.Select(ChassisTable, [], ["_uuid", "name"]), OvsdbOperation.Select(EncapTable, [], ["ip"])],
            cancellationToken).ConfigureAwait(false);
        var chassisRows = RowsOf(existing[0]);
        var byUuid = chassisRows.Select(row => OvsdbWire.ReadUuid(row.GetProperty("_uuid"))).ToHashSet();
        var byName = chassisRows.ToDictionary(row => row.GetProperty("name").GetString() ?? "", row => OvsdbWire.ReadUuid(row.GetProperty("_uuid")));
        var usedIps = RowsOf(existing[1]).Select(row => row.GetProperty("ip").GetString()).ToHashSet();
        var operations = new List<OvsdbOperation>();
        var created = new List<Guid>();
        var next = 0;
        foreach (var uuid in recorded)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"replayed-{uuid}");
            if (byUuid.Contains(uuid))
            {
                mapping[uuid] = uuid;
            }
            else if (byName.TryGetValue(name, out var replayed))
            {
                mapping[uuid] = replayed;
            }
            else
            {
                string ip;
                do
                {
                    next++;
                    ip = string.Create(CultureInfo.InvariantCulture, $"127.254.{next / 250}.{(next % 250) + 1}");
                }
                while (usedIps.Contains(ip));

                var encap = string.Create(CultureInfo.InvariantCulture, $"encap{operations.Count}");
                operations.Add(OvsdbOperation.Insert(EncapTable, new JsonObject { ["type"] = "geneve", ["ip"] = ip, ["chassis_name"] = name }, encap));
                operations.Add(OvsdbOperation.Insert(ChassisTable, new JsonObject
                {
                    ["name"] = name, ["hostname"] = name, ["encaps"] = OvsdbWire.NamedUuid(encap),
                }));
                created.Add(uuid);
            }
        }

        if (operations.Count > 0)
        {
            var results = await southbound.TransactAsync(OvnTables.Southbound, operations, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < created.Count; i++)
            {
                mapping[created[i]] = results[(2 * i) + 1].Uuid ?? throw new InvalidOperationException("the Southbound created a chassis without uuid");
            }
        }

        return mapping;
    }

    private static List<System.Text.Json.JsonElement> RowsOf(OperationResult result) =>
        result.Rows is { } rows ? [.. rows.EnumerateArray()] : [];

    private static OvsdbOperation Insert(RecordedEvent recorded, Dictionary<Guid, Guid> chassis) => OvsdbOperation.Insert(OvnTables.ControllerEvent, new JsonObject
    {
        ["event_type"] = recorded.EventType,
        ["seq_num"] = recorded.SeqNum,
        ["chassis"] = recorded.Chassis is { } recordedChassis && chassis.TryGetValue(recordedChassis, out var target) ? OvsdbWire.Uuid(target) : OvsdbWire.EmptySet(),
        ["event_info"] = OvsdbWire.Map(recorded.EventInfo),
    });
}
