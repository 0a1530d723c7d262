using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OvnUnidler.Operator.Model;

/// <summary>
/// A load-balancer VIP as OVN writes it in Controller_Event event_info and Load_Balancer vips:
/// <c>192.168.1.100:80</c>, <c>[fd00::10]:80</c>, or a bare address when the VIP has no port
/// (ovn-nb(5): "IP[:PORT]", IPv6 in brackets when a port is given).
/// </summary>
public readonly record struct VipEndpoint(IPAddress Address, int? Port)
{
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public static bool TryParse(string? text, out VipEndpoint endpoint)
    {
        endpoint = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span[0] == '[')
        {
            var close = span.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(span[1..close], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            var rest = span[(close + 1)..];
            if (rest.IsEmpty)
            {
                endpoint = new VipEndpoint(v6, null);
                return true;
            }

            if (rest[0] != ':' || !TryParsePort(rest[1..], out var v6Port))
            {
                return false;
            }

            endpoint = new VipEndpoint(v6, v6Port);
            return true;
        }

        var colons = span.Count(':');
        if (colons > 1)
        {
            // A bare IPv6 address: OVN writes no port without brackets.
            if (!IPAddress.TryParse(span, out var bare) || bare.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            endpoint = new VipEndpoint(bare, null);
            return true;
        }

        var colon = span.IndexOf(':');
        var addressText = colon < 0 ? span : span[..colon];
        if (!IPAddress.TryParse(addressText, out var v4) || v4.AddressFamily != AddressFamily.InterNetwork
            || addressText.Count('.') != 3)
        {
            return false;
        }

        if (colon < 0)
        {
            endpoint = new VipEndpoint(v4, null);
            return true;
        }

        if (!TryParsePort(span[(colon + 1)..], out var port))
        {
            return false;
        }

        endpoint = new VipEndpoint(v4, port);
        return true;
    }

    public override string ToString()
    {
        var address = Address.ToString();
        if (Port is not { } port)
        {
            return address;
        }

        return IsIPv6
            ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
