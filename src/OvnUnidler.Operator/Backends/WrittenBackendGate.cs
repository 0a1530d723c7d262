using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// Mode write (plain OVN, no CNI writing backends): wait for ready endpoints, write them into each
/// VIP the rows named, then wait until the Northbound monitor shows them.
/// </summary>
public sealed class WrittenBackendGate(
    LoadBalancerIndex loadBalancers,
    EndpointSliceCache endpointSlices,
    ServiceCache services,
    INorthboundBackendWriter writer,
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider) : IBackendGate
{
    public async Task<BackendsResult> WaitForBackendsAsync(
        ServiceKey service, IReadOnlyList<EmptyBackendsEvent> events, CancellationToken cancellationToken)
    {
        var targets = BackendTarget.From(events);
        using var deadline = new CancellationTokenSource(options.Value.BackendsTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        DateTimeOffset? endpointsReadyAt = null;
        try
        {
            IReadOnlyList<ReadyEndpoint> endpoints;
            while (true)
            {
                var nextSliceChange = endpointSlices.NextChange;
                endpoints = endpointSlices.ReadyEndpoints(service);
                if (endpoints.Count > 0)
                {
                    break;
                }

                await nextSliceChange.WaitAsync(linked.Token).ConfigureAwait(false);
            }

            endpointsReadyAt = timeProvider.GetUtcNow();
            if (targets.All(target => target.FindLoadBalancer(loadBalancers) is null))
            {
                return BackendsResult.WithoutLoadBalancer(endpointsReadyAt.Value,
                    $"no Northbound load balancer holds {string.Join(", ", targets.Select(target => target.Vip))}; nothing to write");
            }

            await WriteAsync(service, targets, endpoints, linked.Token).ConfigureAwait(false);
            while (true)
            {
                var nextBalancerChange = loadBalancers.NextChange;
                if (targets.All(target => target.FindLoadBalancer(loadBalancers)?.HasBackends(target.Vip) == true))
                {
                    return BackendsResult.Ready(endpointsReadyAt, timeProvider.GetUtcNow());
                }

                await nextBalancerChange.WaitAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return BackendsResult.TimedOut(endpointsReadyAt, endpointsReadyAt is null
                ? $"no ready endpoints within {options.Value.BackendsTimeout}"
                : $"backends written but not seen in the Northbound within {options.Value.BackendsTimeout}");
        }
    }

    private async Task WriteAsync(ServiceKey service, IReadOnlyList<BackendTarget> targets, IReadOnlyList<ReadyEndpoint> endpoints, CancellationToken cancellationToken)
    {
        if (!services.TryGet(service, out var definition))
        {
            throw new InvalidOperationException($"Service {service} is not in the cache; cannot derive backends");
        }

        foreach (var group in targets.GroupBy(target => target.FindLoadBalancer(loadBalancers)))
        {
            if (group.Key is not { } loadBalancer)
            {
                continue;
            }

            var vips = group
                .Select(target => (Vip: target.Vip.ToString(), Backends: BackendList.For(definition, target, endpoints)))
                .Where(vip => vip.Backends.Length > 0)
                .ToDictionary(vip => vip.Vip, vip => vip.Backends, StringComparer.Ordinal);
            if (vips.Count > 0)
            {
                await writer.SetBackendsAsync(loadBalancer.Uuid, vips, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
