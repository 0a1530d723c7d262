using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Operator.Resilience;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// Mode write (plain OVN, no CNI writing backends): level-based and independent of any one wake.
/// For every NB Load_Balancer whose owner (k8s.ovn.org/owner) is a Service in scope, each VIP's
/// backends converge to what <see cref="IDesiredBackends"/> says (the Service's ready endpoints);
/// on a load balancer nobody labelled (plain OVN, `ovn-nbctl lb-add`), each VIP that is a frontend
/// of a Service in scope (cluster IP, external IP, ingress, node port) is managed the same way,
/// and every other VIP is left alone. This happens
/// whenever the load balancers, the EndpointSlices or the Services change: whoever woke the
/// Service (traffic here or in another zone, `ovn-unidler wake`, an Idler set Active), and after a
/// restart, a failover or a failed transaction (retried with backoff). An acting stage: it runs
/// only while this instance may act, and never in mode observe.
/// </summary>
public sealed partial class BackendsReconciler(
    LoadBalancerIndex loadBalancers,
    EndpointSliceCache endpointSlices,
    ServiceCache services,
    ServiceVipIndex frontends,
    IDesiredBackends desired,
    INorthboundBackendWriter writer,
    ReadinessSignals readiness,
    UnidlerMetrics metrics,
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider,
    ILogger<BackendsReconciler> logger) : IPipelineStage
{
    public string Name => "backends";

    private readonly HashSet<string> namespaces = new(options.Value.Namespaces, StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // Converging against a view that is not complete yet would empty VIPs whose endpoints are not read yet.
        await readiness.WaitUntilReadyAsync([ReadinessNames.Services, ReadinessNames.EndpointSlices, ReadinessNames.Northbound], stoppingToken)
            .ConfigureAwait(false);
        var backoff = new Backoff(options.Value.WakeRetryInitialBackoff, options.Value.WakeRetryMaxBackoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = Task.WhenAny(loadBalancers.NextChange, endpointSlices.NextChange, services.NextChange, desired.NextChange);
            if (await ReconcileAsync(stoppingToken).ConfigureAwait(false))
            {
                backoff = new Backoff(options.Value.WakeRetryInitialBackoff, options.Value.WakeRetryMaxBackoff);
                await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(backoff.Next(), timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One pass over every load balancer; false when a write failed (the pass is retried).</summary>
    internal async Task<bool> ReconcileAsync(CancellationToken cancellationToken)
    {
        var succeeded = true;
        foreach (var balancer in loadBalancers.All)
        {
            Dictionary<string, string>? changes = null;
            ServiceKey? changed = null;
            foreach (var (vipText, current) in balancer.Vips)
            {
                if (!VipEndpoint.TryParse(vipText, out var vip) || OwnerOf(balancer, vip) is not { } owner
                    || (namespaces.Count > 0 && !namespaces.Contains(owner.Namespace)) || !services.TryGet(owner, out var service)
                    || desired.For(service, new BackendTarget(balancer.Uuid, vip, balancer.Protocol)) is not { } wanted
                    || SameBackends(wanted, current))
                {
                    continue;
                }

                (changes ??= new Dictionary<string, string>(StringComparer.Ordinal))[vipText] = wanted;
                changed = owner;
            }

            if (changes is null)
            {
                continue;
            }

            try
            {
                await writer.SetBackendsAsync(balancer.Uuid, changes, cancellationToken).ConfigureAwait(false);
                metrics.BackendsWritten(succeeded: true);
                LogWritten(logger, changed?.ToString() ?? string.Empty, balancer.Name, string.Join("; ", changes.Select(change => $"{change.Key} -> \"{change.Value}\"")));
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.BackendsWritten(succeeded: false);
                LogWriteFailed(logger, exception, changed?.ToString() ?? string.Empty, balancer.Name);
                succeeded = false;
            }
        }

        return succeeded;
    }

    private ServiceKey? OwnerOf(LoadBalancerInfo balancer, VipEndpoint vip) =>
        balancer.Owner ?? (frontends.TryResolve(vip, balancer.Protocol, out var service, out _) ? service : null);

    /// <summary>Order does not matter to OVN, and rewriting a VIP for order alone would loop.</summary>
    private static bool SameBackends(string wanted, string current)
    {
        static string[] Split(string text) =>
            [.. BackendList.Entries(text).Order(StringComparer.Ordinal)];

        return Split(wanted).SequenceEqual(Split(current), StringComparer.Ordinal);
    }

    [LoggerMessage(EventId = EventIds.BackendsReconciled, EventName = nameof(EventIds.BackendsReconciled), Level = LogLevel.Information,
        Message = "Backends of Service {Service} written to load balancer {LoadBalancer}: {Changes}")]
    private static partial void LogWritten(ILogger logger, string service, string loadBalancer, string changes);

    [LoggerMessage(EventId = EventIds.BackendsReconcileFailed, EventName = nameof(EventIds.BackendsReconcileFailed), Level = LogLevel.Warning,
        Message = "Writing the backends of Service {Service} to load balancer {LoadBalancer} failed; retrying with backoff")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string service, string loadBalancer);
}
