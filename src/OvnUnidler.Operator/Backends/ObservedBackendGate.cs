using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// Mode observe (ovn-kubernetes): the CNI writes backends when endpoints become ready; wait until
/// every VIP the rows named has them in the Northbound, or the deadline passes.
/// </summary>
public sealed class ObservedBackendGate(
    LoadBalancerIndex loadBalancers,
    EndpointSliceCache endpointSlices,
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
        while (true)
        {
            var nextBalancerChange = loadBalancers.NextChange;
            var nextSliceChange = endpointSlices.NextChange;
            if (endpointsReadyAt is null && endpointSlices.ReadyEndpoints(service).Count > 0)
            {
                endpointsReadyAt = timeProvider.GetUtcNow();
            }

            var balancers = targets.Select(target => (target.Vip, Balancer: target.FindLoadBalancer(loadBalancers))).ToList();
            if (balancers.All(found => found.Balancer is null) && endpointsReadyAt is { } readyAt)
            {
                return BackendsResult.WithoutLoadBalancer(readyAt, $"no Northbound load balancer holds {string.Join(", ", targets.Select(target => target.Vip))}");
            }

            if (balancers.Count > 0 && balancers.All(found => found.Balancer?.HasBackends(found.Vip) == true))
            {
                return BackendsResult.Ready(endpointsReadyAt, timeProvider.GetUtcNow());
            }

            try
            {
                await Task.WhenAny(nextBalancerChange, nextSliceChange).WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return BackendsResult.TimedOut(endpointsReadyAt, endpointsReadyAt is null
                    ? $"no ready endpoints within {options.Value.BackendsTimeout}"
                    : $"endpoints are ready but the load balancer has no backends after {options.Value.BackendsTimeout}");
            }
        }
    }
}
