using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// One packet to inject into a chassis' dummy netdev, written as the datapath flow that
/// <c>netdev-dummy/receive</c> composes a packet from (ovs-vswitchd(8), netdev-dummy commands).
/// </summary>
public sealed record LabPacket
{
    /// <summary>The dummy netdev the packet arrives on (the bound OVS interface, e.g. vif1).</summary>
    public required string Interface { get; init; }

    public required string SourceMac { get; init; }

    /// <summary>Nothing in the logical switch owns this MAC; the event fires before the L2 lookup.</summary>
    public string DestinationMac { get; init; } = "00:00:00:00:00:ff";

    public required IPAddress Source { get; init; }

    public required IPEndPoint Destination { get; init; }

    public LabProtocol Protocol { get; init; } = LabProtocol.Tcp;

    public int SourcePort { get; init; } = 40000;

    /// <summary>
    /// A packet from a port the lab created and bound, to a VIP written as OVN writes it
    /// ("10.96.0.10:80", "[fd00::10]:80"); the source address is the port's one of the VIP's family.
    /// </summary>
    public static LabPacket To(string vip, LabBinding from, LabProtocol protocol = LabProtocol.Tcp)
    {
        ArgumentNullException.ThrowIfNull(from);
        var port = from.Port
            ?? throw new ArgumentException($"binding of {from.LogicalPort} carries no port addresses; build the LabPacket by hand", nameof(from));
        var destination = IPEndPoint.Parse(vip);
        var source = destination.AddressFamily is AddressFamily.InterNetworkV6 ? port.Ipv6Address : port.Ipv4Address;
        return new LabPacket
        {
            Interface = from.Interface,
            SourceMac = port.Mac,
            Source = source ?? throw new ArgumentException($"port {port.Name} has no {destination.AddressFamily} address for {vip}", nameof(from)),
            Destination = destination,
            Protocol = protocol,
        };
    }

    /// <summary>
    /// The flow in the odp-util syntax ovs-dpctl prints; netdev-dummy builds the packet from it.
    /// No in_port(): the netdev named in the command is where the packet arrives.
    /// </summary>
    public string ToFlowString()
    {
        if (Source.AddressFamily != Destination.AddressFamily)
        {
            throw new InvalidOperationException($"source {Source} and destination {Destination} are of different address families");
        }

        var protocol = Protocol.IpProtocolNumber();
        var network = Source.AddressFamily is AddressFamily.InterNetworkV6
            ? $"eth_type(0x86dd),ipv6(src={Source},dst={Destination.Address},label=0,proto={protocol},tclass=0,hlimit=64,frag=no)"
            : $"eth_type(0x0800),ipv4(src={Source},dst={Destination.Address},proto={protocol},tos=0,ttl=64,frag=no)";
        var transport = Protocol switch
        {
            LabProtocol.Tcp => $"tcp(src={SourcePort},dst={Destination.Port}),tcp_flags(syn)",
            LabProtocol.Udp => $"udp(src={SourcePort},dst={Destination.Port})",
            _ => $"sctp(src={SourcePort},dst={Destination.Port})",
        };
        return string.Create(CultureInfo.InvariantCulture, $"eth(src={SourceMac},dst={DestinationMac}),{network},{transport}");
    }
}
