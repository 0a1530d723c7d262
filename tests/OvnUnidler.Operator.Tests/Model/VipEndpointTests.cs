using System.Net;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Tests.Model;

public sealed class VipEndpointTests
{
    [Theory]
    [InlineData("192.168.1.100:80", "192.168.1.100", 80)]
    [InlineData("10.96.0.10:53", "10.96.0.10", 53)]
    [InlineData("[fd00::10]:80", "fd00::10", 80)]
    [InlineData("[2001::10]:50051", "2001::10", 50051)]
    [InlineData("[fd00:0:0:0:0:0:0:10]:443", "fd00::10", 443)]
    public void Parses_address_and_port_as_ovn_writes_them(string text, string address, int port)
    {
        Assert.True(VipEndpoint.TryParse(text, out var vip));
        Assert.Equal(IPAddress.Parse(address), vip.Address);
        Assert.Equal(port, vip.Port);
    }

    [Theory]
    [InlineData("192.168.1.100", "192.168.1.100")]
    [InlineData("fd00::10", "fd00::10")]
    [InlineData("[fd00::10]", "fd00::10")]
    public void Parses_a_vip_without_port(string text, string address)
    {
        Assert.True(VipEndpoint.TryParse(text, out var vip));
        Assert.Equal(IPAddress.Parse(address), vip.Address);
        Assert.Null(vip.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-ip:80")]
    [InlineData("192.168.1.100:0")]
    [InlineData("192.168.1.100:65536")]
    [InlineData("192.168.1.100:http")]
    [InlineData("192.168.1:80")]
    [InlineData("[fd00::10]80")]
    [InlineData("[192.168.1.1]:80")]
    [InlineData("fd00::10:80:")]
    public void Rejects_text_that_is_not_ip_and_optional_port(string text) =>
        Assert.False(VipEndpoint.TryParse(text, out _));

    [Fact]
    public void Rejects_huge_strings_without_work() =>
        Assert.False(VipEndpoint.TryParse(new string('1', 100_000), out _));

    [Theory]
    [InlineData("192.168.1.100:80")]
    [InlineData("[fd00::10]:80")]
    [InlineData("fd00::10")]
    [InlineData("10.0.0.1")]
    public void Formats_back_to_the_ovn_notation(string text)
    {
        Assert.True(VipEndpoint.TryParse(text, out var vip));
        Assert.Equal(text, vip.ToString());
    }
}
