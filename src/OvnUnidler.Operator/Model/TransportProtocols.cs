namespace OvnUnidler.Operator.Model;

public static class TransportProtocols
{
    /// <summary>Parses OVN's lower-case names and Kubernetes' upper-case ones.</summary>
    public static bool TryParse(string? text, out TransportProtocol protocol)
    {
        switch (text?.ToUpperInvariant())
        {
            case "TCP":
                protocol = TransportProtocol.Tcp;
                return true;
            case "UDP":
                protocol = TransportProtocol.Udp;
                return true;
            case "SCTP":
                protocol = TransportProtocol.Sctp;
                return true;
            default:
                protocol = default;
                return false;
        }
    }

    public static string ToOvnName(this TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Udp => "udp",
        TransportProtocol.Sctp => "sctp",
        _ => "tcp",
    };
}
