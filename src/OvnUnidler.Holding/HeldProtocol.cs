namespace OvnUnidler.Holding;

/// <summary>The transports a hold keeps: TCP connections and UDP datagrams.</summary>
public enum HeldProtocol
{
    Tcp,
    Udp,
}
