using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;

namespace OvnUnidler.Operator.Backends;

/// <summary>One VIP of one load balancer that a wake must see served again.</summary>
public readonly record struct BackendTarget(Guid? LoadBalancer, VipEndpoint Vip, TransportProtocol Protocol)
{
    public static IReadOnlyList<BackendTarget> From(IReadOnlyList<EmptyBackendsEvent> events) =>
        [.. events.Select(@event => new BackendTarget(@event.LoadBalancer, @event.Vip, @event.Protocol)).Distinct()];

    /// <summary>
    /// The load balancer to read or write: the event's own, or, if that row is gone (the CMS may
    /// replace load balancers), any load balancer that has the VIP.
    /// </summary>
    public LoadBalancerInfo? FindLoadBalancer(LoadBalancerIndex index)
    {
        if (LoadBalancer is { } uuid && index.TryGet(uuid, out var own))
        {
            return own;
        }

        var vip = Vip.ToString();
        var protocol = Protocol;
        return index.All.FirstOrDefault(row => row.Vips.ContainsKey(vip) && row.Protocol == protocol);
    }
}
