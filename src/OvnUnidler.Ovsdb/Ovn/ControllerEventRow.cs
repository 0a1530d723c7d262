using System.Text.Json;
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

    private static readonly IReadOnlyDictionary<string, string> NoInfo = new Dictionary<string, string>();

    /// <summary>Columns at their default are omitted from monitor rows (RFC 7047 section 4.1.6), hence the defaults here.</summary>
    public static ControllerEventRow Map(Guid uuid, JsonElement row) => new(
        uuid,
        row.TryGetProperty("chassis", out var chassis) ? OvsdbWire.ReadOptionalUuid(chassis) : null,
        row.TryGetProperty("event_type", out var type) ? OvsdbWire.ReadString(type) : string.Empty,
        row.TryGetProperty("event_info", out var info) ? OvsdbWire.ReadStringMap(info) : NoInfo,
        row.TryGetProperty("seq_num", out var seq) ? OvsdbWire.ReadInteger(seq) : 0);

    /// <summary>The operator's conditional monitor: only empty_lb_backends rows; they are never modified, so no raw copy is kept.</summary>
    public static TableMonitorRequest<ControllerEventRow> EmptyLbBackendsMonitor() => new(
        OvnTables.ControllerEvent, Columns, [OvsdbCondition.Equal("event_type", EmptyLbBackends)], Map, RetainRawRows: false);

    public static TableMonitorRequest<ControllerEventRow> AllMonitor() => new(OvnTables.ControllerEvent, Columns, [], Map, RetainRawRows: false);
}
