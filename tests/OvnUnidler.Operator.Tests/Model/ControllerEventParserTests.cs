using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Tests.Model;

public sealed class ControllerEventParserTests
{
    private static readonly Guid LoadBalancer = Guid.Parse("5f0c5ae4-2b8e-4c4a-9d6e-0c6b1f1a2b3c");

    [Fact]
    public void Parses_vip_protocol_and_load_balancer_of_an_empty_lb_backends_row()
    {
        var result = ControllerEventParser.Parse(Row(("vip", "192.168.1.100:80"), ("protocol", "tcp"), ("load_balancer", LoadBalancer.ToString())));

        Assert.True(result.IsValid);
        Assert.Equal("192.168.1.100:80", result.Event.Vip.ToString());
        Assert.Equal(TransportProtocol.Tcp, result.Event.Protocol);
        Assert.Equal(LoadBalancer, result.Event.LoadBalancer);
    }

    [Theory]
    [InlineData("udp", TransportProtocol.Udp)]
    [InlineData("sctp", TransportProtocol.Sctp)]
    public void Parses_udp_and_sctp(string protocol, TransportProtocol expected)
    {
        var result = ControllerEventParser.Parse(Row(("vip", "[fd00::10]:53"), ("protocol", protocol)));

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Event.Protocol);
        Assert.Null(result.Event.LoadBalancer);
    }

    [Fact]
    public void Reports_a_missing_vip() =>
        Assert.Equal("event_info has no vip", ControllerEventParser.Parse(Row(("protocol", "tcp"))).Error);

    [Fact]
    public void Reports_a_missing_protocol() =>
        Assert.Equal("event_info has no protocol", ControllerEventParser.Parse(Row(("vip", "10.0.0.1:80"))).Error);

    [Fact]
    public void Reports_an_unparseable_vip()
    {
        var error = ControllerEventParser.Parse(Row(("vip", "banana"), ("protocol", "tcp"))).Error;

        Assert.Equal("event_info vip 'banana' is not IP[:PORT]", error);
    }

    [Fact]
    public void Reports_an_unknown_protocol()
    {
        var error = ControllerEventParser.Parse(Row(("vip", "10.0.0.1:80"), ("protocol", "icmp"))).Error;

        Assert.Equal("event_info protocol 'icmp' is not tcp, udp or sctp", error);
    }

    [Fact]
    public void Reports_a_load_balancer_that_is_not_a_uuid()
    {
        var error = ControllerEventParser.Parse(Row(("vip", "10.0.0.1:80"), ("protocol", "tcp"), ("load_balancer", "lb0"))).Error;

        Assert.Equal("event_info load_balancer 'lb0' is not a uuid", error);
    }

    [Fact]
    public void Shortens_huge_values_in_the_reason()
    {
        var error = ControllerEventParser.Parse(Row(("vip", "10.0.0.1:80"), ("protocol", new string('x', 50_000)))).Error!;

        Assert.True(error.Length < 200, error);
    }

    [Fact]
    public void Ignores_extra_event_info_keys()
    {
        var result = ControllerEventParser.Parse(Row(("vip", "10.0.0.1:80"), ("protocol", "tcp"), ("extra", "x")));

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Reports_another_event_type()
    {
        var row = Row(("vip", "10.0.0.1:80"), ("protocol", "tcp")) with { EventType = "something_else" };

        Assert.Equal("event_type 'something_else' is not empty_lb_backends", ControllerEventParser.Parse(row).Error);
    }

    internal static ControllerEvent Row(params (string Key, string Value)[] info) => new(
        Guid.NewGuid(), Guid.NewGuid(), 1, ControllerEventParser.EmptyLbBackends,
        info.ToDictionary(pair => pair.Key, pair => pair.Value), DateTimeOffset.UnixEpoch, TimeProvider.System.GetTimestamp());
}
