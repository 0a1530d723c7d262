using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// Waits on the views, never on the API server: ready endpoints from the EndpointSlice cache,
/// backends from the Northbound monitor (written by ovn-kubernetes in mode observe, by the
/// <see cref="BackendsReconciler"/> in mode write), the Service from the Service cache.
/// </summary>
public sealed class ObservedBackendGate(
    LoadBalancerIndex loadBalancers,
    EndpointSliceCache endpointSlices,
    ServiceCache services,
    HeldWaits waits,
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider) : IBackendGate
{
    public async Task<BackendsResult> WaitForEndpointsAsync(ServiceKey service, string? serviceVersion, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var watch = new ServiceWatch(services, service, serviceVersion);
        BackendsResult? Check()
        {
            if (watch.Check() is { } change and not ServiceChange.None)
            {
                return BackendsResult.Interrupted(change, null);
            }

            return endpointSlices.ReadyEndpoints(service).Count > 0 ? BackendsResult.EndpointsReady(timeProvider.GetUtcNow()) : null;
        }

        return await waits.WaitAsync(Check, deadline, cancellationToken).ConfigureAwait(false)
            ?? BackendsResult.TimedOut(null, $"no ready endpoints within {options.Value.BackendsTimeout}");
    }

    public async Task<BackendsResult> WaitForBackendsAsync(
        ServiceKey service, Func<IReadOnlyList<EmptyBackendsEvent>> events, string? serviceVersion, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var watch = new ServiceWatch(services, service, serviceVersion);
        DateTimeOffset? endpointsReadyAt = null;
        BackendsResult? Check()
        {
            if (endpointsReadyAt is null && endpointSlices.ReadyEndpoints(service).Count > 0)
            {
                endpointsReadyAt = timeProvider.GetUtcNow();
            }

            if (watch.Check() is { } change and not ServiceChange.None)
            {
                return BackendsResult.Interrupted(change, endpointsReadyAt);
            }

            var targets = BackendTarget.From(events());
            var balancers = targets.Select(target => (target.Vip, Balancer: target.FindLoadBalancer(loadBalancers))).ToList();
            if (balancers.All(found => found.Balancer is null) && endpointsReadyAt is { } readyAt)
            {
                return BackendsResult.WithoutLoadBalancer(readyAt, $"no Northbound load balancer holds {string.Join(", ", targets.Select(target => target.Vip))}");
            }

            return balancers.Count > 0 && balancers.All(found => found.Balancer?.HasBackends(found.Vip) == true)
                ? BackendsResult.Ready(endpointsReadyAt, timeProvider.GetUtcNow())
                : null;
        }

        return await waits.WaitAsync(Check, deadline, cancellationToken).ConfigureAwait(false)
            ?? BackendsResult.TimedOut(endpointsReadyAt, endpointsReadyAt is null
                ? $"no ready endpoints within {options.Value.BackendsTimeout}"
                : $"endpoints are ready but the load balancer has no backends after {options.Value.BackendsTimeout}");
    }

    /// <summary>
    /// Tells the Service's own wake from someone else's change: once the cache shows the version
    /// the wake left (its last write), any other version is a change. The cache may lag behind
    /// that write, so versions seen before it are not judged.
    /// </summary>
    private sealed class ServiceWatch(ServiceCache services, ServiceKey service, string? version)
    {
        private bool synced = version is null;

        public ServiceChange Check()
        {
            if (!services.TryGet(service, out var cached))
            {
                return ServiceChange.Gone;
            }

            var current = cached.Metadata.ResourceVersion;
            if (!synced)
            {
                synced = string.Equals(current, version, StringComparison.Ordinal);
                return ServiceChange.None;
            }

            return version is not null && !string.Equals(current, version, StringComparison.Ordinal) ? ServiceChange.Changed : ServiceChange.None;
        }
    }
}
