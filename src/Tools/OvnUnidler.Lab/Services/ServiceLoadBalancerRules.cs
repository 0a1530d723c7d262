using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s.Models;
using OvnUnidler.Lab.Ovn;

namespace OvnUnidler.Lab.Services;

/// <summary>
/// A Service's cluster-wide load balancers from the Service and its EndpointSlices, by the rules of
/// ovn-kubernetes' services controller (go-controller/pkg/ovn/controller/services/lb_config.go,
/// the endpoint classification and the per-port configs; docs/ovn-facts.md lists each rule):
/// <list type="bullet">
/// <item>every slice given counts (the caller passes those labelled kubernetes.io/service-name with
/// the Service's name, whoever manages them), FQDN slices excepted;</item>
/// <item>a slice port serves a Service port of the same protocol and name; its number becomes that
/// port's target number for every slice, the last slice read deciding. Upstream reads slices in
/// Go map order (unspecified); here, by name;</item>
/// <item>a slice port whose name no Service port has, beside an unnamed Service port of its
/// protocol, sets that port's number but brings it no endpoints;</item>
/// <item>backends are the port's eligible endpoints (<see cref="EligibleEndpoints"/>) of the
/// VIP's family on that number; VIPs are the cluster IPs, external IPs and load-balancer ingress
/// IPs on the Service port; a VIP without eligible endpoints stays, with no backends.</item>
/// </list>
/// Not modelled (the lab has no use for them): node ports, external or internal traffic policy
/// Local, host-network endpoints, session affinity, user-defined networks.
/// </summary>
public static class ServiceLoadBalancerRules
{
    public static IReadOnlyList<ServiceLoadBalancer> Desired(V1Service service, IEnumerable<V1EndpointSlice> slices, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(slices);
        if (!HasClusterIp(service))
        {
            return [];
        }

        var ports = service.Spec.Ports ?? [];
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var port in ports)
        {
            numbers[PortKey(port.Protocol, port.Name)] = 0;
        }

        var endpoints = new Dictionary<string, List<V1Endpoint>>(StringComparer.Ordinal);
        foreach (var slice in slices.Where(slice => slice.AddressType != "FQDN").OrderBy(slice => slice.Metadata?.Name, StringComparer.Ordinal))
        {
            var served = new List<string>();
            foreach (var port in slice.Ports ?? [])
            {
                if (port.Port is not { } number)
                {
                    continue;
                }

                var key = PortKey(port.Protocol, port.Name);
                if (numbers.ContainsKey(key))
                {
                    numbers[key] = number;
                    served.Add(key);
                }
                else if (numbers.ContainsKey(PortKey(port.Protocol, null)))
                {
                    numbers[PortKey(port.Protocol, null)] = number;
                }
            }

            foreach (var key in served)
            {
                var list = endpoints.TryGetValue(key, out var found) ? found : endpoints[key] = [];
                list.AddRange(slice.Endpoints ?? []);
            }
        }

        var (raisesEvent, rejects) = IdledServiceOptions.For(service, now);
        var vips = FrontendAddresses(service);
        var byProtocol = new Dictionary<LabProtocol, Dictionary<string, string>>();
        foreach (var port in ports)
        {
            var key = PortKey(port.Protocol, port.Name);
            var addresses = endpoints.TryGetValue(key, out var list)
                ? EligibleEndpoints.Addresses(list, service.Spec.PublishNotReadyAddresses == true)
                : [];
            var protocol = ProtocolOf(port.Protocol);
            var rules = byProtocol.TryGetValue(protocol, out var existing) ? existing : byProtocol[protocol] = new(StringComparer.Ordinal);
            foreach (var vip in vips)
            {
                var family = addresses.Where(address => address.AddressFamily == vip.AddressFamily);
                rules[Format(vip, port.Port)] = string.Join(',', family.Select(address => Format(address, numbers[key])));
            }
        }

        return [.. byProtocol.OrderBy(pair => pair.Key).Select(pair => new ServiceLoadBalancer(
            service.Metadata.NamespaceProperty, service.Metadata.Name, pair.Key, pair.Value, raisesEvent, rejects))];
    }

    /// <summary>go-controller/pkg/util/kube.go: types ClusterIP, NodePort and LoadBalancer with a cluster IP set (not headless).</summary>
    private static bool HasClusterIp(V1Service service) =>
        service.Spec?.Type is null or "" or "ClusterIP" or "NodePort" or "LoadBalancer"
        && service.Spec?.ClusterIP is { Length: > 0 } clusterIp && clusterIp != "None";

    private static List<IPAddress> FrontendAddresses(V1Service service)
    {
        var texts = new List<string>(service.Spec.ClusterIPs is { Count: > 0 } clusterIps ? clusterIps : [service.Spec.ClusterIP]);
        texts.AddRange(service.Spec.ExternalIPs ?? []);
        if (service.Spec.Type == "LoadBalancer")
        {
            texts.AddRange(service.Status?.LoadBalancer?.Ingress?.Select(ingress => ingress.Ip).OfType<string>() ?? []);
        }

        return [.. texts.Select(text => IPAddress.TryParse(text, out var address) ? address : null).OfType<IPAddress>()];
    }

    private static string PortKey(string? protocol, string? name) => $"{protocol ?? "TCP"}/{name ?? string.Empty}";

    private static LabProtocol ProtocolOf(string? protocol) => protocol switch
    {
        "UDP" => LabProtocol.Udp,
        "SCTP" => LabProtocol.Sctp,
        _ => LabProtocol.Tcp,
    };

    /// <summary>As ovn-nb(5) keys VIPs and lists backends: "10.96.0.10:80", "[fd00:10:96::a]:80".</summary>
    private static string Format(IPAddress address, int port) => address.AddressFamily == AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}")
        : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
}
