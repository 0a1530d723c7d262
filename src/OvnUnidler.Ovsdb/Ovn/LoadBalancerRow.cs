using System.Text.Json;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Ovn;

/// <summary>
/// OVN_Northbound Load_Balancer (ovn-nb(5)): vips maps "IP[:PORT]" to comma-separated backends
/// ("" when idled); ovn-kubernetes names the owning Service in external_ids.
/// </summary>
public sealed record LoadBalancerRow(
    Guid Uuid,
    string Name,
    string? Protocol,
    IReadOnlyDictionary<string, string> Vips,
    IReadOnlyDictionary<string, string> ExternalIds,
    IReadOnlyDictionary<string, string> Options)
{
    public static readonly IReadOnlyList<string> Columns = ["name", "protocol", "vips", "external_ids", "options"];

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public static LoadBalancerRow Map(Guid uuid, JsonElement row) => new(
        uuid,
        row.TryGetProperty("name", out var name) ? OvsdbWire.ReadString(name) : string.Empty,
        row.TryGetProperty("protocol", out var protocol) ? OvsdbWire.ReadOptionalString(protocol) : null,
        row.TryGetProperty("vips", out var vips) ? OvsdbWire.ReadStringMap(vips) : Empty,
        row.TryGetProperty("external_ids", out var ids) ? OvsdbWire.ReadStringMap(ids) : Empty,
        row.TryGetProperty("options", out var options) ? OvsdbWire.ReadStringMap(options) : Empty);

    public static TableMonitorRequest<LoadBalancerRow> Monitor() => new(OvnTables.LoadBalancer, Columns, [], Map);
}
