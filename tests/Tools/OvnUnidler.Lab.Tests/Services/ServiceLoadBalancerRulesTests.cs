using System.Globalization;
using k8s.Models;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Services;

namespace OvnUnidler.Lab.Tests.Services;

/// <summary>The services controller's rules on their own (docs/ovn-facts.md, "ovn-kubernetes and OpenShift").</summary>
public sealed class ServiceLoadBalancerRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ready_endpoints_of_every_slice_become_the_vips_backends_on_the_port_named_like_the_service_port()
    {
        var service = Service("web", ("main", "TCP", 80));
        var pods = Slice("web-abcde", "endpointslice-controller.k8s.io", ("main", "TCP", 8080), Endpoint("10.244.2.11"), Endpoint("10.244.2.10"));
        var other = Slice("web-mirror", "someone-else", ("main", "TCP", 8080), Endpoint("10.244.3.10"));

        var balancer = Assert.Single(ServiceLoadBalancerRules.Desired(service, [pods, other], Now));

        Assert.Equal("Service_shop/web_TCP_cluster", balancer.Name);
        Assert.Equal(LabProtocol.Tcp, balancer.Protocol);
        Assert.Equal("10.244.2.10:8080,10.244.2.11:8080,10.244.3.10:8080", balancer.Vips["10.96.0.10:80"]);
        Assert.Equal("shop/web", balancer.ExternalIds["k8s.ovn.org/owner"]);
        Assert.Equal("Service", balancer.ExternalIds["k8s.ovn.org/kind"]);
    }

    [Fact]
    public void A_slice_port_of_another_name_or_protocol_brings_no_backends()
    {
        var service = Service("web", ("main", "TCP", 80));
        var metrics = Slice("web-metrics", "x", ("metrics", "TCP", 9090), Endpoint("10.244.2.10"));
        var udp = Slice("web-udp", "x", ("main", "UDP", 5353), Endpoint("10.244.2.11"));

        var balancer = Assert.Single(ServiceLoadBalancerRules.Desired(service, [metrics, udp], Now));

        Assert.Equal("", balancer.Vips["10.96.0.10:80"]);
    }

    [Fact]
    public void Not_ready_endpoints_are_left_out_and_serving_terminating_ones_stand_in_only_while_none_is_ready()
    {
        var service = Service("web", ("main", "TCP", 80));
        var notReady = Endpoint("10.244.2.10", ready: false, serving: false);
        var terminating = Endpoint("10.244.2.11", ready: false, serving: true, terminating: true);
        var unknown = new V1Endpoint { Addresses = ["10.244.2.12"] };

        var withReady = ServiceLoadBalancerRules.Desired(service, [Slice("a", "x", ("main", "TCP", 8080), notReady, terminating, unknown)], Now);
        var withoutReady = ServiceLoadBalancerRules.Desired(service, [Slice("a", "x", ("main", "TCP", 8080), notReady, terminating)], Now);
        service.Spec.PublishNotReadyAddresses = true;
        var publishing = ServiceLoadBalancerRules.Desired(service, [Slice("a", "x", ("main", "TCP", 8080), notReady)], Now);

        Assert.Equal("10.244.2.12:8080", Assert.Single(withReady).Vips["10.96.0.10:80"]);
        Assert.Equal("10.244.2.11:8080", Assert.Single(withoutReady).Vips["10.96.0.10:80"]);
        Assert.Equal("10.244.2.10:8080", Assert.Single(publishing).Vips["10.96.0.10:80"]);
    }

    [Fact]
    public void Two_slices_declaring_one_port_name_with_different_numbers_put_every_endpoint_on_the_number_of_the_last_slice_read()
    {
        var service = Service("web", ("main", "TCP", 80));
        var holder = Slice("web-holder-1", "holder.unidler.ovn.org", ("main", "TCP", 32100), Endpoint("10.244.2.3"));
        var pods = Slice("web-zzzzz", "endpointslice-controller.k8s.io", ("main", "TCP", 8080), Endpoint("10.244.2.10"));

        var balancer = Assert.Single(ServiceLoadBalancerRules.Desired(service, [pods, holder], Now));

        Assert.Equal("10.244.2.10:8080,10.244.2.3:8080", balancer.Vips["10.96.0.10:80"]);
    }

    [Fact]
    public void An_empty_vip_of_an_idled_service_raises_an_event_and_is_not_rejected_and_of_any_other_is_rejected()
    {
        var idled = Service("web", ("main", "TCP", 80));
        idled.Metadata.Annotations = new Dictionary<string, string> { ["idling.alpha.openshift.io/idled-at"] = "2026-03-01T11:00:00Z" };
        var running = Service("web", ("main", "TCP", 80));

        var asIdled = Assert.Single(ServiceLoadBalancerRules.Desired(idled, [], Now));
        var asRunning = Assert.Single(ServiceLoadBalancerRules.Desired(running, [], Now));

        Assert.Equal("", asIdled.Vips["10.96.0.10:80"]);
        Assert.Equal(("true", "false"), (asIdled.Options["event"], asIdled.Options["reject"]));
        Assert.Equal(("false", "true"), (asRunning.Options["event"], asRunning.Options["reject"]));
    }

    [Theory]
    [InlineData(29, "true", "false")]
    [InlineData(31, "false", "true")]
    public void A_service_unidled_less_than_30_s_ago_keeps_raising_events(int secondsAgo, string raisesEvent, string rejects)
    {
        var service = Service("web", ("main", "TCP", 80));
        service.Metadata.Annotations = new Dictionary<string, string>
        {
            ["k8s.ovn.org/unidled-at"] = (Now - TimeSpan.FromSeconds(secondsAgo)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };

        var balancer = Assert.Single(ServiceLoadBalancerRules.Desired(service, [], Now));

        Assert.Equal((raisesEvent, rejects), (balancer.Options["event"], balancer.Options["reject"]));
    }

    [Fact]
    public void Each_protocol_gets_its_own_load_balancer_and_an_ipv6_vip_only_ipv6_backends()
    {
        var service = Service("dns", ("dns", "UDP", 53), ("dns-tcp", "TCP", 53));
        service.Spec.ClusterIP = "fd00:10:96::a";
        service.Spec.ClusterIPs = ["fd00:10:96::a", "10.96.0.10"];
        var v6 = Slice("dns-v6", "x", ("dns", "UDP", 5353), Endpoint("fd00:10:244:2::a"));
        v6.AddressType = "IPv6";
        v6.Ports.Add(new Discoveryv1EndpointPort { Name = "dns-tcp", Protocol = "TCP", Port = 5353 });
        var v4 = Slice("dns-v4", "x", ("dns", "UDP", 5353), Endpoint("10.244.2.10"));
        v4.Ports.Add(new Discoveryv1EndpointPort { Name = "dns-tcp", Protocol = "TCP", Port = 5353 });

        var balancers = ServiceLoadBalancerRules.Desired(service, [v6, v4], Now);

        Assert.Equal(["Service_shop/dns_TCP_cluster", "Service_shop/dns_UDP_cluster"], balancers.Select(balancer => balancer.Name).Order(StringComparer.Ordinal));
        var udp = Assert.Single(balancers, balancer => balancer.Protocol == LabProtocol.Udp);
        Assert.Equal("[fd00:10:244:2::a]:5353", udp.Vips["[fd00:10:96::a]:53"]);
        Assert.Equal("10.244.2.10:5353", udp.Vips["10.96.0.10:53"]);
    }

    [Theory]
    [InlineData("ClusterIP", "None")]
    [InlineData("ExternalName", "")]
    public void A_headless_or_external_name_service_gets_no_load_balancer(string type, string clusterIp)
    {
        var service = Service("web", ("main", "TCP", 80));
        service.Spec.Type = type;
        service.Spec.ClusterIP = clusterIp;
        service.Spec.ClusterIPs = null;

        Assert.Empty(ServiceLoadBalancerRules.Desired(service, [Slice("web-a", "x", ("main", "TCP", 8080), Endpoint("10.244.2.10"))], Now));
    }

    private static V1Service Service(string name, params (string Name, string Protocol, int Port)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Spec = new V1ServiceSpec
        {
            ClusterIP = "10.96.0.10",
            Ports = [.. ports.Select(port => new V1ServicePort { Name = port.Name, Protocol = port.Protocol, Port = port.Port })],
        },
    };

    private static V1EndpointSlice Slice(string name, string managedBy, (string Name, string Protocol, int Port) port, params V1Endpoint[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "shop",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web", ["endpointslice.kubernetes.io/managed-by"] = managedBy },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = port.Name, Protocol = port.Protocol, Port = port.Port }],
        Endpoints = endpoints,
    };

    private static V1Endpoint Endpoint(string address, bool ready = true, bool? serving = null, bool terminating = false) => new()
    {
        Addresses = [address],
        Conditions = new V1EndpointConditions { Ready = ready, Serving = serving ?? ready, Terminating = terminating },
    };
}
