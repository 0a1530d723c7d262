namespace OvnUnidler.Operator.Model;

/// <summary>How an event's VIP was tied to its Service; exported as a metric label.</summary>
public enum MatchedBy
{
    LoadBalancerOwner,
    ClusterIP,
    ExternalIP,
    LoadBalancerIngress,
    NodePort,
}
