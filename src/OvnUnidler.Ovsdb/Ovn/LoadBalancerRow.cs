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

    /// <summary>
    /// Keys and values ovn-kubernetes writes on every one of tens of thousands of load balancers
    /// (external_ids k8s.ovn.org/kind=Service, owner; options), shared instead of one copy per row.
    /// </summary>
    private static readonly IReadOnlyList<string> CommonStrings =
        ["tcp", "udp", "sctp", "Service", "k8s.ovn.org/kind", "k8s.ovn.org/owner", "event", "true", "false", "skip_snat", "reject", "hairpin_snat_ip", "neighbor_responder"];

    public static LoadBalancerRow Map(Guid uuid, JsonElement row) => new(
        uuid,
        OvsdbWire.ReadColumn(row, "name", OvsdbWire.ReadString, string.Empty),
        OvsdbWire.ReadColumn(row, "protocol", ReadProtocol, null),
        OvsdbWire.ReadColumn<IReadOnlyDictionary<string, string>>(row, "vips", value => OvsdbWire.ReadCompactStringMap(value), OvsdbStringMap.Empty),
        OvsdbWire.ReadColumn<IReadOnlyDictionary<string, string>>(row, "external_ids", value => OvsdbWire.ReadCompactStringMap(value, CommonStrings), OvsdbStringMap.Empty),
        OvsdbWire.ReadColumn<IReadOnlyDictionary<string, string>>(row, "options", value => OvsdbWire.ReadCompactStringMap(value, CommonStrings), OvsdbStringMap.Empty));

    private static string? ReadProtocol(JsonElement value) => OvsdbWire.ReadOptionalString(value) switch
    {
        "tcp" => "tcp",
        "udp" => "udp",
        "sctp" => "sctp",
        var other => other,
    };

    /// <summary>Load balancers are modified (vips gain backends), so their JSON is retained to apply update2 diffs.</summary>
    public static TableMonitorRequest<LoadBalancerRow> Monitor() => new(OvnTables.LoadBalancer, Columns, [], Map);
}
