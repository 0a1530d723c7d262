using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Ovn;

/// <summary>
/// OVN_Southbound Controller_Event (ovn-sb(5)): event_type, event_info (for empty_lb_backends:
/// vip, protocol, load_balancer), chassis (a weak reference: empty once the chassis is deleted)
/// and seq_num (a counter of the writing ovn-controller process, not an identity).
/// </summary>
public sealed record ControllerEventRow(Guid Uuid, Guid? Chassis, string EventType, IReadOnlyDictionary<string, string> EventInfo, long SeqNum)
{
    public const string EmptyLbBackends = "empty_lb_backends";

    public static readonly IReadOnlyList<string> Columns = ["chassis", "event_info", "event_type", "seq_num"];

    // Every row repeats these; sharing them keeps a table of 100,000 events small.
    private static readonly IReadOnlyList<string> CommonStrings =
        [EmptyLbBackends, "vip", "protocol", "load_balancer", "tcp", "udp", "sctp"];

    /// <summary>Columns at their default are omitted from monitor rows (RFC 7047 section 4.1.6), hence the defaults here.</summary>
    public static ControllerEventRow Map(Guid uuid, JsonElement row) => new(
        uuid,
        OvsdbWire.ReadColumn(row, "chassis", OvsdbWire.ReadOptionalUuid, null),
        OvsdbWire.ReadColumn(row, "event_type", value => OvsdbWire.ReadString(value, CommonStrings), string.Empty),
        OvsdbWire.ReadColumn<IReadOnlyDictionary<string, string>>(
            row, "event_info", value => OvsdbWire.ReadCompactStringMap(value, CommonStrings), OvsdbStringMap.Empty),
        OvsdbWire.ReadColumn(row, "seq_num", OvsdbWire.ReadInteger, 0));

    /// <summary>
    /// The operator's conditional monitor: only empty_lb_backends rows, kept without their JSON
    /// (rebuilt by <see cref="ToJson"/> when needed), streamed as they arrive so a backlog left while
    /// the operator was down is worked on from its first rows.
    /// </summary>
    public static TableMonitorRequest<ControllerEventRow> EmptyLbBackendsMonitor() => new(
        OvnTables.ControllerEvent, Columns, [OvsdbCondition.Equal("event_type", EmptyLbBackends)], Map, RetainRawRows: false)
    {
        ToJson = row => row.ToJson(),
        StreamInitialRows = true,
    };

    public static TableMonitorRequest<ControllerEventRow> AllMonitor() => new(OvnTables.ControllerEvent, Columns, [], Map, RetainRawRows: false)
    {
        ToJson = row => row.ToJson(),
    };

    /// <summary>The row's columns in OVSDB notation, as an insert takes them and as the monitor rebuilds a row to apply a diff.</summary>
    public JsonObject ToJson() => new()
    {
        ["chassis"] = OvsdbWire.OptionalUuid(Chassis),
        ["event_info"] = OvsdbWire.Map(EventInfo),
        ["event_type"] = EventType,
        ["seq_num"] = SeqNum,
    };
}
