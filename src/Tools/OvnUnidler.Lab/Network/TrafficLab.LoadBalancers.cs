using OvnUnidler.Lab.Ovn;

namespace OvnUnidler.Lab.Network;

public sealed partial class TrafficLab
{
    /// <summary>
    /// A Service load balancer in <paramref name="zone"/>, attached as ovn-kubernetes attaches a
    /// cluster-IP one: to every node switch of the zone, so the client's own switch translates the
    /// VIP of a packet sent to its default gateway (no neighbour entry for the VIP). Not to the
    /// cluster router: with the same VIP on both zones' routers, a client in one zone got no answer
    /// from a backend in the other (docs/ovn-facts.md). The spec's own switches and routers are ignored.
    /// Returns the Northbound _uuid.
    /// </summary>
    public async Task<string> AddLoadBalancerAsync(TrafficZone zone, LabLoadBalancerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(spec);
        var attached = new LabLoadBalancerSpec
        {
            Name = spec.Name,
            Vips = spec.Vips,
            Protocol = spec.Protocol,
            ExternalIds = spec.ExternalIds,
            Event = spec.Event,
            Switches = [.. zone.Nodes.Select(node => node.Name)],
        };
        return (await zone.NbctlAsync(attached.CreateArguments(), cancellationToken).ConfigureAwait(false)).Trim();
    }

    /// <summary>Sets a VIP's backends ("10.244.2.10:8080", "[fd00:10:244:2::a]:8080"); none idles it again.</summary>
    public static Task SetBackendsAsync(TrafficZone zone, string loadBalancer, string vip, IEnumerable<string> backends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return zone.NbctlAsync(["set", "Load_Balancer", loadBalancer, CtlSyntax.MapEntry("vips", vip, string.Join(',', backends))], cancellationToken);
    }
}
