namespace OvnUnidler.Lab.Cluster;

/// <summary>A Deployment of pod servers behind a Service, with the OVN load balancer a CMS keeps for it in one zone.</summary>
public sealed record LabService(string Namespace, string Name, string ClusterIp, int Port, string Protocol, int Replicas, int Zone, string LoadBalancer)
{
    /// <summary>As OVN keys it: "10.96.0.10:80", "[fd00:10:96::10]:80".</summary>
    public string Vip => ClusterIp.Contains(':', StringComparison.Ordinal) ? $"[{ClusterIp}]:{Port}" : $"{ClusterIp}:{Port}";

    public Uri Url => new($"http://{Vip}/");
}
