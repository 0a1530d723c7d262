using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;

namespace OvnUnidler.Operator.Mapping;

/// <summary>
/// VIP -> Service: first the owner ovn-kubernetes wrote on the event's load balancer, which also
/// covers node-port, external-IP and ingress VIPs; then the VIP against the Services' frontends,
/// for load balancers nobody labelled (plain OVN, other CMSes).
/// </summary>
public sealed class ServiceResolver(LoadBalancerIndex loadBalancers, ServiceVipIndex services)
{
    public MappingResult Resolve(EmptyBackendsEvent @event)
    {
        if (@event.LoadBalancer is { } lbUuid && loadBalancers.TryGet(lbUuid, out var loadBalancer) && loadBalancer.Owner is { } owner)
        {
            return MappingResult.Found(owner, MatchedBy.LoadBalancerOwner);
        }

        if (services.TryResolve(@event.Vip, @event.Protocol, out var service, out var matchedBy))
        {
            return MappingResult.Found(service, matchedBy);
        }

        return MappingResult.Unknown(@event.LoadBalancer is { } lb && !loadBalancers.TryGet(lb, out _)
            ? $"no Service has VIP {@event.Vip}/{@event.Protocol.ToOvnName()} and load balancer {lb} is not in the Northbound"
            : $"no Service has VIP {@event.Vip}/{@event.Protocol.ToOvnName()}");
    }
}
