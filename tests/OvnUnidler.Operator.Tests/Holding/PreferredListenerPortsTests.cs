using k8s.Models;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Holding;

namespace OvnUnidler.Operator.Tests.Holding;

public sealed class PreferredListenerPortsTests
{
    private const int OwnHttpPort = 8080;

    [Fact]
    public void Prefers_a_numeric_target_port_and_the_port_itself_when_the_target_port_is_unset()
    {
        var preferred = HeldServicePorts.PreferredListenerPorts(Service(
            new V1ServicePort { Name = "http", Port = 80, TargetPort = 8000, Protocol = "TCP" },
            new V1ServicePort { Name = "plain", Port = 9000, Protocol = "TCP" }), OwnHttpPort);

        Assert.Equal(8000, preferred[new HeldPort("http", HeldProtocol.Tcp)]);
        Assert.Equal(9000, preferred[new HeldPort("plain", HeldProtocol.Tcp)]);
    }

    [Fact]
    public void Prefers_nothing_for_a_named_target_port_whose_number_only_the_pods_slices_know()
    {
        var preferred = HeldServicePorts.PreferredListenerPorts(Service(new V1ServicePort { Name = "http", Port = 80, TargetPort = "web", Protocol = "TCP" }), OwnHttpPort);

        Assert.Empty(preferred);
    }

    [Fact]
    public void Never_prefers_the_operators_own_http_port_for_tcp_but_does_for_udp()
    {
        var preferred = HeldServicePorts.PreferredListenerPorts(Service(
            new V1ServicePort { Name = "http", Port = 80, TargetPort = OwnHttpPort, Protocol = "TCP" },
            new V1ServicePort { Name = "quic", Port = 443, TargetPort = OwnHttpPort, Protocol = "UDP" }), OwnHttpPort);

        Assert.False(preferred.ContainsKey(new HeldPort("http", HeldProtocol.Tcp)));
        Assert.Equal(OwnHttpPort, preferred[new HeldPort("quic", HeldProtocol.Udp)]);
    }

    private static V1Service Service(params V1ServicePort[] ports) =>
        new() { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop" }, Spec = new V1ServiceSpec { Ports = ports } };
}
