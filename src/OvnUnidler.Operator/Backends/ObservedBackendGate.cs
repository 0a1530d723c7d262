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
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider) : IBackendGate
{
    public async Task<BackendsResult> WaitForEndpointsAsync(ServiceKey service, string? serviceVersion, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var watch = new ServiceWatch(services, service, serviceVersion);
        using var expiry = new CancellationTokenSource(Remaining(deadline), timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        while (true)
        {
            var nextSliceChange = endpointSlices.NextChange;
            var nextServiceChange = services.NextChange;
            if (watch.Check() is { } change and not ServiceChange.None)
            {
                return BackendsResult.Interrupted(change, null);
            }

            if (endpointSlices.ReadyEndpoints(service).Count > 0)
            {
                return BackendsResult.EndpointsReady(timeProvider.GetUtcNow());
            }

            if (!await WaitAsync(Task.WhenAny(nextSliceChange, nextServiceChange), linked, cancellationToken).ConfigureAwait(false))
            {
                return BackendsResult.TimedOut(null, $"no ready endpoints within {options.Value.BackendsTimeout}");
            }
        }
    }

    public async Task<BackendsResult> WaitForBackendsAsync(
        ServiceKey service, Func<IReadOnlyList<EmptyBackendsEvent>> events, string? serviceVersion, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var watch = new ServiceWatch(services, service, serviceVersion);
        using var expiry = new CancellationTokenSource(Remaining(deadline), timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        DateTimeOffset? endpointsReadyAt = null;
        while (true)
        {
            var nextBalancerChange = loadBalancers.NextChange;
            var nextSliceChange = endpointSlices.NextChange;
            var nextServiceChange = services.NextChange;
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

            if (balancers.Count > 0 && balancers.All(found => found.Balancer?.HasBackends(found.Vip) == true))
            {
                return BackendsResult.Ready(endpointsReadyAt, timeProvider.GetUtcNow());
            }

            if (!await WaitAsync(Task.WhenAny(nextBalancerChange, nextSliceChange, nextServiceChange), linked, cancellationToken).ConfigureAwait(false))
            {
                return BackendsResult.TimedOut(endpointsReadyAt, endpointsReadyAt is null
                    ? $"no ready endpoints within {options.Value.BackendsTimeout}"
                    : $"endpoints are ready but the load balancer has no backends after {options.Value.BackendsTimeout}");
            }
        }
    }

    private TimeSpan Remaining(DateTimeOffset deadline) =>
        deadline - timeProvider.GetUtcNow() is var remaining && remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;

    /// <summary>False when the deadline passed; throws when the caller cancelled.</summary>
    private static async Task<bool> WaitAsync(Task change, CancellationTokenSource linked, CancellationToken cancellationToken)
    {
        try
        {
            await change.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
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
