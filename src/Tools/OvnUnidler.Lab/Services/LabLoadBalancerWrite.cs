namespace OvnUnidler.Lab.Services;

/// <summary>One write of the lab services controller: the state it gave a load balancer (Northbound _uuid) of a zone, at a wall-clock time (UTC).</summary>
public sealed record LabLoadBalancerWrite(int Zone, string LoadBalancer, ServiceLoadBalancer State, DateTime At);
