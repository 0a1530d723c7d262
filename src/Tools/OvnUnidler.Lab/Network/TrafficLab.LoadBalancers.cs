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

    /// <summary>A VIP's backends as the Northbound holds them ("10.244.2.10:8080,..."; "" when none or no such VIP).</summary>
    public static async Task<string> GetBackendsAsync(TrafficZone zone, string loadBalancer, string vip, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        // ovn-nbctl prints the map as {"VIP"="BACKENDS", ...}; keys and values are quoted strings.
        var vips = await zone.NbctlAsync(["get", "Load_Balancer", loadBalancer, "vips"], cancellationToken).ConfigureAwait(false);
        var key = CtlSyntax.Quote(vip) + "=";
        var at = vips.IndexOf(key, StringComparison.Ordinal);
        return at >= 0 && vips[(at + key.Length)..].Split('"') is [_, var backends, ..] ? backends : "";
    }

    /// <summary>Whether the load balancer raises a Controller_Event for a VIP without backends (options:event=true).</summary>
    public static async Task<bool> RaisesEventsAsync(TrafficZone zone, string loadBalancer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var value = await zone.NbctlAsync(["--if-exists", "get", "Load_Balancer", loadBalancer, "options:event"], cancellationToken).ConfigureAwait(false);
        return value.Trim().Trim('"') == "true";
    }

    /// <summary>Sets a VIP's backends ("10.244.2.10:8080", "[fd00:10:244:2::a]:8080"); none idles it again.</summary>
    public static Task SetBackendsAsync(TrafficZone zone, string loadBalancer, string vip, IEnumerable<string> backends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return zone.NbctlAsync(["set", "Load_Balancer", loadBalancer, CtlSyntax.MapEntry("vips", vip, string.Join(',', backends))], cancellationToken);
    }
}
