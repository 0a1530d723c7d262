using k8s.Models;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Tests.Model;

namespace OvnUnidler.Operator.Tests.Mapping;

public sealed class ServiceResolverTests
{
    private readonly LoadBalancerIndex loadBalancers = new();
    private readonly ServiceVipIndex services = new();
    private readonly ServiceResolver resolver;

    public ServiceResolverTests()
    {
        resolver = new ServiceResolver(loadBalancers, services);
        Index(Service("shop", "web", clusterIps: ["10.96.0.10", "fd00:10:96::10"], port: 80, nodePort: 30080,
            externalIps: ["203.0.113.7"], ingressIp: "198.51.100.9"));
        Index(Service("shop", "dns", clusterIps: ["10.96.0.53"], port: 53, protocol: "UDP"));
        Index(Service("shop", "sctp", clusterIps: ["10.96.0.99"], port: 9999, protocol: "SCTP"));
    }

    [Theory]
    [InlineData("10.96.0.10:80", "tcp", "web", MatchedBy.ClusterIP)]
    [InlineData("[fd00:10:96::10]:80", "tcp", "web", MatchedBy.ClusterIP)]
    [InlineData("203.0.113.7:80", "tcp", "web", MatchedBy.ExternalIP)]
    [InlineData("198.51.100.9:80", "tcp", "web", MatchedBy.LoadBalancerIngress)]
    [InlineData("172.18.0.4:30080", "tcp", "web", MatchedBy.NodePort)]
    [InlineData("[fd00:18::4]:30080", "tcp", "web", MatchedBy.NodePort)]
    [InlineData("10.96.0.53:53", "udp", "dns", MatchedBy.ClusterIP)]
    [InlineData("10.96.0.99:9999", "sctp", "sctp", MatchedBy.ClusterIP)]
    [InlineData("10.96.0.10", "tcp", "web", MatchedBy.ClusterIP)]
    public void Maps_every_frontend_form_to_its_service(string vip, string protocol, string name, MatchedBy matchedBy)
    {
        var result = resolver.Resolve(Event(vip, protocol));

        Assert.Equal(new ServiceKey("shop", name), result.Service);
        Assert.Equal(matchedBy, result.MatchedBy);
    }

    [Theory]
    [InlineData("10.96.0.10:81", "tcp")]
    [InlineData("10.96.0.53:53", "tcp")]
    [InlineData("10.1.2.3:80", "udp")]
    public void Reports_an_unknown_vip_when_address_port_or_protocol_differ(string vip, string protocol)
    {
        var result = resolver.Resolve(Event(vip, protocol));

        Assert.Null(result.Service);
        Assert.StartsWith("no Service has VIP", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefers_the_owner_written_on_the_load_balancer()
    {
        var lb = Guid.NewGuid();
        loadBalancers.Upsert(new LoadBalancerInfo(lb, "Service_shop/owned_TCP_cluster", TransportProtocol.Tcp, new ServiceKey("shop", "owned"),
            new Dictionary<string, string> { ["10.96.0.10:80"] = "" }, new Dictionary<string, string>()));

        var result = resolver.Resolve(Event("10.96.0.10:80", "tcp", lb));

        Assert.Equal(new ServiceKey("shop", "owned"), result.Service);
        Assert.Equal(MatchedBy.LoadBalancerOwner, result.MatchedBy);
    }

    [Fact]
    public void Falls_back_to_the_vip_when_the_load_balancer_has_no_owner()
    {
        var lb = Guid.NewGuid();
        loadBalancers.Upsert(new LoadBalancerInfo(lb, "lb0", TransportProtocol.Tcp, null,
            new Dictionary<string, string> { ["10.96.0.10:80"] = "" }, new Dictionary<string, string>()));

        Assert.Equal(MatchedBy.ClusterIP, resolver.Resolve(Event("10.96.0.10:80", "tcp", lb)).MatchedBy);
    }

    [Fact]
    public void Forgets_a_deleted_service()
    {
        services.Remove(new ServiceKey("shop", "dns"));

        Assert.Null(resolver.Resolve(Event("10.96.0.53:53", "udp")).Service);
    }

    [Fact]
    public void Moves_a_cluster_ip_to_the_service_that_owns_it_now()
    {
        Index(Service("shop", "web", clusterIps: ["10.96.0.11"], port: 80));

        Assert.Null(resolver.Resolve(Event("10.96.0.10:80", "tcp")).Service);
        Assert.Equal(new ServiceKey("shop", "web"), resolver.Resolve(Event("10.96.0.11:80", "tcp")).Service);
    }

    [Theory]
    [InlineData("ns/name", true)]
    [InlineData("name", false)]
    [InlineData("a/b/c", false)]
    [InlineData("/name", false)]
    [InlineData("ns/", false)]
    public void Parses_ovn_kubernetes_owner_external_ids(string owner, bool valid)
    {
        var parsed = LoadBalancerInfo.OwnerFrom(new Dictionary<string, string> { ["k8s.ovn.org/kind"] = "Service", ["k8s.ovn.org/owner"] = owner });

        Assert.Equal(valid, parsed is not null);
    }

    private void Index(V1Service service) =>
        services.Upsert(new ServiceKey(service.Metadata.NamespaceProperty, service.Metadata.Name), ServiceFrontends.From(service));

    internal static V1Service Service(
        string ns, string name, string[] clusterIps, int port, string protocol = "TCP", int? nodePort = null,
        string[]? externalIps = null, string? ingressIp = null) => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIps[0],
            ClusterIPs = clusterIps,
            ExternalIPs = externalIps,
            Ports = [new V1ServicePort { Port = port, Protocol = protocol, NodePort = nodePort, TargetPort = "8080" }],
        },
        Status = ingressIp is null ? null : new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = ingressIp }] },
        },
    };

    private static EmptyBackendsEvent Event(string vip, string protocol, Guid? lb = null)
    {
        var info = new List<(string, string)> { ("vip", vip), ("protocol", protocol) };
        if (lb is { } uuid)
        {
            info.Add(("load_balancer", uuid.ToString()));
        }

        var parsed = ControllerEventParser.Parse(ControllerEventParserTests.Row([.. info]));
        Assert.True(parsed.IsValid, parsed.Error);
        return parsed.Event;
    }
}
