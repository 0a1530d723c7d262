namespace OvnUnidler.KubernetesDouble.ControllerManager;

// status.podIPs of one pod: an IPv4 and/or an IPv6 address (an EndpointSlice takes the one of its Service's family).
public sealed record PodAddresses(string? IPv4, string? IPv6)
{
    public IEnumerable<string> All => new[] { IPv4, IPv6 }.OfType<string>();
}
