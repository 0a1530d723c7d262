namespace OvnUnidler.Lab.Ovn;

/// <summary>The transport protocols an OVN load balancer takes (ovn-nb(5), Load_Balancer protocol).</summary>
public enum LabProtocol
{
    Tcp,
    Udp,
    Sctp,
}
