using System.Net;
using k8s.Models;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Cluster;

/// <summary>
/// Every frontend ovn-kubernetes turns into a load-balancer VIP for a Service: cluster IPs,
/// external IPs and load-balancer ingress IPs on each port, and node ports (on any node address).
/// </summary>
public static class ServiceFrontends
{
    public static IReadOnlyList<ServiceFrontend> From(V1Service service)
    {
        var spec = service.Spec;
        if (spec?.Ports is not { Count: > 0 } ports)
        {
            return [];
        }

        var clusterIps = (spec.ClusterIPs ?? []).Append(spec.ClusterIP).Where(ip => ip is not null && ip != "None");
        var externalIps = spec.ExternalIPs ?? [];
        var ingressIps = (service.Status?.LoadBalancer?.Ingress ?? []).Select(ingress => ingress.Ip).Where(ip => ip is not null);
        var frontends = new HashSet<ServiceFrontend>();
        foreach (var port in ports)
        {
            if (!TransportProtocols.TryParse(port.Protocol ?? "TCP", out var protocol))
            {
                continue;
            }

            Add(frontends, clusterIps, port.Port, protocol, MatchedBy.ClusterIP);
            Add(frontends, externalIps, port.Port, protocol, MatchedBy.ExternalIP);
            Add(frontends, ingressIps, port.Port, protocol, MatchedBy.LoadBalancerIngress);
            if (port.NodePort is { } nodePort and > 0)
            {
                frontends.Add(new ServiceFrontend(null, nodePort, protocol, MatchedBy.NodePort));
            }
        }

        return [.. frontends];
    }

    private static void Add(HashSet<ServiceFrontend> frontends, IEnumerable<string?> addresses, int port, TransportProtocol protocol, MatchedBy kind)
    {
        foreach (var text in addresses)
        {
            if (IPAddress.TryParse(text, out var address))
            {
                frontends.Add(new ServiceFrontend(address, port, protocol, kind));
            }
        }
    }
}
