namespace OvnUnidler.Demo;

/// <summary>A Service the demo creates idled, as `oc idle` leaves one, with its OVN load balancer.</summary>
public sealed record IdledService(string Namespace, string Name, string ClusterIp, int Port, string Protocol, int Replicas)
{
    public string Vip => $"{ClusterIp}:{Port}";
}
