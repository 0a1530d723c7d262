using k8s.Models;
using OvnUnidler.Operator.Backends;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Tests.Mapping;

namespace OvnUnidler.Operator.Tests.Backends;

public sealed class BackendListTests
{
    private static readonly ReadyEndpoint[] Endpoints =
    [
        new("10.244.0.5", new Dictionary<string, int> { [""] = 8080 }),
        new("10.244.1.7", new Dictionary<string, int> { [""] = 8080 }),
        new("fd00:244::5", new Dictionary<string, int> { [""] = 8080 }),
    ];

    [Fact]
    public void Lists_ipv4_endpoints_with_the_endpoint_port_for_an_ipv4_vip()
    {
        var service = ServiceResolverTests.Service("shop", "web", ["10.96.0.10"], 80);

        var backends = BackendList.For(service, Target("10.96.0.10:80"), Endpoints);

        Assert.Equal("10.244.0.5:8080,10.244.1.7:8080", backends);
    }

    [Fact]
    public void Lists_ipv6_endpoints_in_brackets_for_an_ipv6_vip()
    {
        var service = ServiceResolverTests.Service("shop", "web", ["fd00:96::10"], 80);

        Assert.Equal("[fd00:244::5]:8080", BackendList.For(service, Target("[fd00:96::10]:80"), Endpoints));
    }

    [Fact]
    public void Uses_the_target_port_when_the_slice_names_no_port()
    {
        var service = ServiceResolverTests.Service("shop", "web", ["10.96.0.10"], 80);
        ReadyEndpoint[] unnamed = [new("10.244.0.5", new Dictionary<string, int>())];

        Assert.Equal("10.244.0.5:8080", BackendList.For(service, Target("10.96.0.10:80"), unnamed));
    }

    [Fact]
    public void Serves_a_node_port_vip_through_its_service_port()
    {
        var service = ServiceResolverTests.Service("shop", "web", ["10.96.0.10"], 80, nodePort: 30080);

        Assert.Equal("10.244.0.5:8080,10.244.1.7:8080", BackendList.For(service, Target("172.18.0.4:30080"), Endpoints));
    }

    [Fact]
    public void Gives_nothing_for_a_port_the_service_does_not_have()
    {
        var service = ServiceResolverTests.Service("shop", "web", ["10.96.0.10"], 80);

        Assert.Equal(string.Empty, BackendList.For(service, Target("10.96.0.10:81"), Endpoints));
    }

    private static BackendTarget Target(string vip)
    {
        Assert.True(VipEndpoint.TryParse(vip, out var endpoint));
        return new BackendTarget(null, endpoint, TransportProtocol.Tcp);
    }
}
