using System.Net;
using OvnUnidler.Lab.Ovn;

namespace OvnUnidler.Lab.Tests.Ovn;

public sealed class LabPacketTests
{
    private static readonly LabBinding Bound = new(
        "hv1", "sw0-p1", "vif1", 1, new LabPort("sw0-p1", "sw0", "0a:00:00:00:00:01", IPAddress.Parse("192.168.1.11"), IPAddress.Parse("fd00:1::b")));

    [Fact]
    public void Ipv4_tcp_packet_is_a_syn_from_the_ports_addresses()
    {
        var packet = LabPacket.To("10.96.0.10:80", Bound);

        Assert.Equal("vif1", packet.Interface);
        Assert.Equal(
            "eth(src=0a:00:00:00:00:01,dst=00:00:00:00:00:ff),eth_type(0x0800),"
            + "ipv4(src=192.168.1.11,dst=10.96.0.10,proto=6,tos=0,ttl=64,frag=no),tcp(src=40000,dst=80),tcp_flags(syn)",
            packet.ToFlowString());
    }

    [Fact]
    public void Ipv6_udp_packet_takes_the_ports_ipv6_address_for_a_bracketed_vip()
    {
        var packet = LabPacket.To("[fd00::10]:53", Bound, LabProtocol.Udp);

        Assert.Equal(
            "eth(src=0a:00:00:00:00:01,dst=00:00:00:00:00:ff),eth_type(0x86dd),"
            + "ipv6(src=fd00:1::b,dst=fd00::10,label=0,proto=17,tclass=0,hlimit=64,frag=no),udp(src=40000,dst=53)",
            packet.ToFlowString());
    }

    [Fact]
    public void Sctp_packet_carries_ip_protocol_132()
    {
        var flow = LabPacket.To("10.96.0.12:9999", Bound, LabProtocol.Sctp).ToFlowString();

        Assert.Contains("proto=132", flow, StringComparison.Ordinal);
        Assert.EndsWith("sctp(src=40000,dst=9999)", flow, StringComparison.Ordinal);
    }

    [Fact]
    public void Port_without_an_address_of_the_vips_family_is_refused()
    {
        var ipv4Only = Bound with { Port = Bound.Port! with { Ipv6Address = null } };

        Assert.Throws<ArgumentException>(() => LabPacket.To("[fd00::10]:80", ipv4Only));
    }

    [Fact]
    public void Binding_without_port_addresses_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LabPacket.To("10.96.0.10:80", Bound with { Port = null }));
    }
}
