namespace OvnUnidler.EndToEnd.Tests.Scenarios;

/// <summary>A Deployment behind a Service, idled, with the OVN load balancer a CMS keeps for it.</summary>
public sealed record IdledApp(string Namespace, string Name, string ClusterIp, int Port, string Protocol, int Replicas, string LoadBalancer)
{
    public string Vip => $"{ClusterIp}:{Port}";
}
