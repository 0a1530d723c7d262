using OvnUnidler.Lab.Ovn;

namespace OvnUnidler.Lab.Services;

/// <summary>
/// One cluster-wide Northbound Load_Balancer of a Service as ovn-kubernetes wants it: one per
/// protocol, named Service_NAMESPACE/NAME_PROTOCOL_cluster, VIP "10.96.0.10:80" (IPv6 in brackets)
/// to backends "10.244.2.5:8080,10.244.3.7:8080" ("" when none), options event and reject.
/// </summary>
public sealed record ServiceLoadBalancer(
    string Namespace, string Service, LabProtocol Protocol, IReadOnlyDictionary<string, string> Vips, bool Event, bool Reject)
{
    public string Name => $"Service_{Namespace}/{Service}_{Protocol.ToOvn().ToUpperInvariant()}_cluster";

    /// <summary>go-controller/pkg/ovn/controller/services/utils.go: the owner ovn-kubernetes writes on a default-network Service's load balancers.</summary>
    public IReadOnlyDictionary<string, string> ExternalIds => LabLoadBalancerSpec.ServiceExternalIds(Namespace, Service);

    public IReadOnlyDictionary<string, string> Options => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["event"] = Event ? "true" : "false",
        ["reject"] = Reject ? "true" : "false",
    };

    public bool SameAs(ServiceLoadBalancer? other) =>
        other is not null && other.Name == Name && other.Event == Event && other.Reject == Reject
        && other.Vips.Count == Vips.Count && Vips.All(pair => other.Vips.TryGetValue(pair.Key, out var backends) && backends == pair.Value);
}
