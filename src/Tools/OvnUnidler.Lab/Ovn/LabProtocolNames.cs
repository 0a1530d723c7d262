namespace OvnUnidler.Lab.Ovn;

internal static class LabProtocolNames
{
    /// <summary>The spelling the Northbound Load_Balancer protocol column and event_info use.</summary>
    public static string ToOvn(this LabProtocol protocol) => protocol switch
    {
        LabProtocol.Tcp => "tcp",
        LabProtocol.Udp => "udp",
        LabProtocol.Sctp => "sctp",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>The IP protocol number a datapath flow's ipv4(proto=) / ipv6(proto=) field carries.</summary>
    public static int IpProtocolNumber(this LabProtocol protocol) => protocol switch
    {
        LabProtocol.Tcp => 6,
        LabProtocol.Udp => 17,
        LabProtocol.Sctp => 132,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };
}
