using System.Net;
using System.Net.Sockets;

namespace OvnUnidler.Holding;

/// <summary>Bound from "Holding": where the holder listens and how much it keeps while Services wake.</summary>
public sealed class HoldingOptions
{
    public const string Section = "Holding";

    /// <summary>
    /// "+" (or "*") listens on every IPv4 and IPv6 address with one dual-stack socket per port, so a
    /// dual-stack Service's VIPs of both families can point at the same port; otherwise one IP address.
    /// </summary>
    public string ListenAddress { get; set; } = "+";

    /// <summary>
    /// The address <see cref="IHeldService.Listeners"/> names (the operator pod's own address, e.g.
    /// from the downward API's status.podIP); unset, the listen address is named as it is.
    /// </summary>
    public string? AdvertiseAddress { get; set; }

    /// <summary>First and last port handed to listeners (one per held Service port, TCP and UDP from one range).</summary>
    public int FirstPort { get; set; } = 32100;

    public int LastPort { get; set; } = 32299;

    /// <summary>TCP connections (held or relayed) plus UDP flows of one Service; one more is reset (TCP) or dropped (UDP).</summary>
    public int MaxConnectionsPerService { get; set; } = 256;

    /// <summary>The same across every held Service of this process.</summary>
    public int MaxConnections { get; set; } = 4096;

    /// <summary>UDP: datagrams kept for one client (source address and port) until a pod is ready.</summary>
    public int MaxDatagramsPerClient { get; set; } = 16;

    /// <summary>UDP: datagrams kept for one Service, across its UDP ports and clients.</summary>
    public int MaxDatagramsPerService { get; set; } = 1024;

    /// <summary>UDP: bytes kept for one client.</summary>
    public int MaxBufferedBytesPerClient { get; set; } = 64 * 1024;

    /// <summary>UDP: bytes kept for one Service, across its UDP ports and clients.</summary>
    public int MaxBufferedBytesPerService { get; set; } = 1024 * 1024;

    /// <summary>
    /// UDP: a flow without a datagram either way for this long is dropped, its kept datagrams with it,
    /// and a drained listener closes once no datagram came for this long. It must not be shorter than the
    /// datapath's UDP conntrack timeout: until that entry expires, OVN keeps sending the client here.
    /// 120 s is the kernel's nf_conntrack_udp_timeout_stream (a flow that saw replies); OVS's userspace
    /// datapath keeps such entries for less.
    /// </summary>
    public TimeSpan UdpFlowIdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Deadline of the connection to a ready endpoint; past it the next endpoint is tried, then the client is reset.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes each direction of a relayed TCP connection reads at once (pooled).</summary>
    public int RelayBufferBytes { get; set; } = 64 * 1024;

    /// <summary>The address to bind, or null when <see cref="ListenAddress"/> is neither a wildcard nor an IP address.</summary>
    public IPAddress? ListenIPAddress() => ListenAddress switch
    {
        "+" or "*" or "" => Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any,
        _ => IPAddress.TryParse(ListenAddress.Trim('[', ']'), out var address) ? address : null,
    };

    /// <summary>The address listeners are advertised at; null when <see cref="AdvertiseAddress"/> is set but not an IP address.</summary>
    public IPAddress? AdvertisedIPAddress() => AdvertiseAddress is null
        ? ListenIPAddress()
        : IPAddress.TryParse(AdvertiseAddress.Trim('[', ']'), out var address) ? address : null;
}
