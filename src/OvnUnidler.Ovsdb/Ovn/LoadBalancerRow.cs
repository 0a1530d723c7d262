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
        OvsdbWire.ReadColumn(row, "name", OvsdbWire.ReadString, string.Empty),
        OvsdbWire.ReadColumn(row, "protocol", OvsdbWire.ReadOptionalString, null),
        OvsdbWire.ReadColumn<IReadOnlyDictionary<string, string>>(row, "vips", OvsdbWire.ReadStringMap, Empty),
        OvsdbWire.ReadColumn<IReadOnlyDictionary<string, string>>(row, "external_ids", OvsdbWire.ReadStringMap, Empty),
        OvsdbWire.ReadColumn<IReadOnlyDictionary<string, string>>(row, "options", OvsdbWire.ReadStringMap, Empty));

    /// <summary>Load balancers are modified (vips gain backends), so their JSON is retained to apply update2 diffs.</summary>
    public static TableMonitorRequest<LoadBalancerRow> Monitor() => new(OvnTables.LoadBalancer, Columns, [], Map);
}
