namespace OvnUnidler.Operator.Model;

/// <summary>The protocols an OVN load balancer VIP can carry (ovn-nb(5), Load_Balancer protocol).</summary>
public enum TransportProtocol
{
    Tcp,
    Udp,
    Sctp,
}
