using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Northbound;

/// <summary>What the operator needs of an NB Load_Balancer row: its owner and its VIPs with their backends.</summary>
/// <param name="Vips">VIP text -> comma-separated backends, as in the vips column ("" when idled).</param>
public sealed record LoadBalancerInfo(
    Guid Uuid,
    string Name,
    TransportProtocol Protocol,
    ServiceKey? Owner,
    IReadOnlyDictionary<string, string> Vips,
    IReadOnlyDictionary<string, string> ExternalIds)
{
    public const string KindKey = "k8s.ovn.org/kind";
    public const string OwnerKey = "k8s.ovn.org/owner";

    /// <summary>ovn-kubernetes names the owning Service in external_ids (kind=Service, owner=NAMESPACE/NAME).</summary>
    public static ServiceKey? OwnerFrom(IReadOnlyDictionary<string, string> externalIds)
    {
        if (externalIds.TryGetValue(KindKey, out var kind) && !string.Equals(kind, "Service", StringComparison.Ordinal))
        {
            return null;
        }

        return externalIds.TryGetValue(OwnerKey, out var owner) && ServiceKey.TryParse(owner, out var key) ? key : null;
    }

    /// <summary>True when the VIP exists and lists at least one backend.</summary>
    public bool HasBackends(VipEndpoint vip) =>
        Vips.TryGetValue(vip.ToString(), out var backends) && !string.IsNullOrWhiteSpace(backends);
}
