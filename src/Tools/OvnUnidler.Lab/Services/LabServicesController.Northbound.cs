using System.Collections.Concurrent;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Ovn;

namespace OvnUnidler.Lab.Services;

public sealed partial class LabServicesController
{
    // What was last written, by zone and load-balancer name (upstream keeps the same per Service, "alreadyApplied").
    private readonly ConcurrentDictionary<(int Zone, string Name), Applied> applied = new();
    private readonly ConcurrentQueue<LabLoadBalancerWrite> writes = new();

    /// <summary>Every write so far, oldest first.</summary>
    public IReadOnlyList<LabLoadBalancerWrite> Writes => [.. writes];

    /// <summary>The Northbound _uuid of a Service's load balancer for <paramref name="protocol"/> in <paramref name="zone"/>, once written; else null.</summary>
    public string? LoadBalancerOf(int zone, string ns, string service, LabProtocol protocol) =>
        applied.Values.FirstOrDefault(entry => entry.Zone == zone && entry.State.Namespace == ns && entry.State.Service == service && entry.State.Protocol == protocol)?.Uuid;

    /// <summary>The state last written for a Service's load balancer, or null.</summary>
    public ServiceLoadBalancer? StateOf(int zone, string ns, string service, LabProtocol protocol) =>
        applied.Values.FirstOrDefault(entry => entry.Zone == zone && entry.State.Namespace == ns && entry.State.Service == service && entry.State.Protocol == protocol)?.State;

    private async Task ApplyAsync(TrafficZone zone, string ns, string service, IReadOnlyList<ServiceLoadBalancer> desired, CancellationToken cancellationToken)
    {
        var wanted = desired.Select(balancer => balancer.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in applied.Where(entry => entry.Key.Zone == zone.Number && entry.Value.State.Namespace == ns
            && entry.Value.State.Service == service && !wanted.Contains(entry.Key.Name)).ToList())
        {
            await zone.NbctlAsync(["--if-exists", "lb-del", stale.Value.Uuid], cancellationToken).ConfigureAwait(false);
            applied.TryRemove(stale.Key, out _);
        }

        foreach (var balancer in desired)
        {
            var key = (zone.Number, balancer.Name);
            applied.TryGetValue(key, out var last);
            if (balancer.SameAs(last?.State))
            {
                continue;
            }

            var uuid = last?.Uuid ?? await FindAsync(zone, balancer.Name, cancellationToken).ConfigureAwait(false)
                ?? await lab.AddLoadBalancerAsync(zone, new LabLoadBalancerSpec
                {
                    Name = balancer.Name, Vips = [], Protocol = balancer.Protocol, ExternalIds = balancer.ExternalIds, Event = false,
                }, cancellationToken).ConfigureAwait(false);
            // One transaction: the whole vips, options and external_ids columns, as upstream owns them.
            await zone.NbctlAsync(
            [
                "set", "Load_Balancer", uuid,
                CtlSyntax.Map("vips", balancer.Vips), CtlSyntax.Map("options", balancer.Options), CtlSyntax.Map("external_ids", balancer.ExternalIds),
            ], cancellationToken).ConfigureAwait(false);
            applied[key] = new Applied(zone.Number, uuid, balancer);
            writes.Enqueue(new LabLoadBalancerWrite(zone.Number, uuid, balancer, timeProvider.GetUtcNow().UtcDateTime));
        }
    }

    /// <summary>A load balancer of that name a previous controller left (level-based: it is taken over, not duplicated).</summary>
    private static async Task<string?> FindAsync(TrafficZone zone, string name, CancellationToken cancellationToken)
    {
        var found = await zone.NbctlAsync(["--bare", "--columns=_uuid", "find", "Load_Balancer", $"name={CtlSyntax.Quote(name)}"], cancellationToken).ConfigureAwait(false);
        return found.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
    }

    private async Task RemoveAllAsync()
    {
        foreach (var entry in applied.Values)
        {
            try
            {
                await lab.Zones[entry.Zone - 1].NbctlAsync(["--if-exists", "lb-del", entry.Uuid], CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LastError = exception;
            }
        }

        applied.Clear();
    }

    private sealed record Applied(int Zone, string Uuid, ServiceLoadBalancer State);
}
