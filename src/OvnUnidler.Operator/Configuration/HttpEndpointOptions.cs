using System.Net;
using System.Net.Sockets;

namespace OvnUnidler.Operator.Configuration;

/// <summary>Bound from "Http": /metrics, /healthz and /readyz.</summary>
public sealed class HttpEndpointOptions
{
    public const string Section = "Http";

    /// <summary>0 disables the endpoint (tests, the demo).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>"+" (or "*") listens on every address, IPv4 and IPv6; "localhost" or an IP address listens there only.</summary>
    public string Host { get; set; } = "+";

    /// <summary>A client that has not sent its whole request by then is disconnected.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections served at once; further ones are closed unanswered until one ends.</summary>
    public int MaxConnections { get; set; } = 32;

    /// <summary>The address to bind, or null when <see cref="Host"/> is neither a wildcard, "localhost" nor an IP address.</summary>
    public IPAddress? ListenAddress() => Host switch
    {
        "+" or "*" or "" => Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.TryParse(Host.Trim('[', ']'), out var address) ? address : null,
    };
}
