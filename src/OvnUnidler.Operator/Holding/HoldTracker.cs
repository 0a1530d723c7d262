using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Backends;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Follows every hold after it started, on each change of the EndpointSlices, the load balancers
/// or the holds: hands each held port the Service's own ready endpoints on its target port, ends
/// the hold drained once every VIP of the Service has backends and none is the holder (mode write:
/// the reconciler wrote the pods; mode observe: ovn-kubernetes did), and forgets holds that ended
/// (drained, failed, or at their deadline). A stopping instance fails its holds: nobody would
/// hand them on. Each forgotten hold is summarised, once it settled, to the
/// <see cref="IHoldEndObserver"/>s (the Idler status), beside the tracking, never in its way.
/// </summary>
public sealed partial class HoldTracker(
    ActiveHolds holds,
    ServiceCache services,
    EndpointSliceCache endpointSlices,
    LoadBalancerIndex loadBalancers,
    ServiceVipIndex frontends,
    UnidlerMetrics metrics,
    IEnumerable<IHoldEndObserver> endObservers,
    TimeProvider timeProvider,
    ILogger<HoldTracker> logger) : IPipelineStage
{
    private readonly IHoldEndObserver[] endObservers = [.. endObservers];
    private readonly Lock reportsGate = new();
    private readonly HashSet<Task> reports = [];
    private CancellationToken stopping;

    public string Name => "holds";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        stopping = cancellationToken;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var changed = Task.WhenAny(endpointSlices.NextChange, loadBalancers.NextChange, holds.NextChange, services.NextChange);
                var ended = new List<Task> { changed };
                foreach (var hold in holds.All.ToArray())
                {
                    await TrackAsync(hold).ConfigureAwait(false);
                    ended.Add(hold.Held.Ended);
                }

                await Task.WhenAny(ended).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var hold in holds.All.ToArray())
            {
                await hold.Held.EndAsync(HoldEnd.Failed).ConfigureAwait(false);
                Forget(hold);
            }

            Task[] pending;
            lock (reportsGate)
            {
                pending = [.. reports];
            }

            // Stopping cancelled them: they end at once, and none writes after the stage returned.
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    internal async Task TrackAsync(ActiveHold hold)
    {
        if (hold.HasEnded)
        {
            Forget(hold);
            return;
        }

        if (IdledAnew(hold))
        {
            // The wake it held for was undone (the Service idled again before its pods were ready):
            // no pod is coming, and while the VIP points at the holder no packet raises a new event.
            LogIdledAnew(logger, hold.Key.ToString());
            await hold.Held.EndAsync(HoldEnd.Failed).ConfigureAwait(false);
            Forget(hold);
            return;
        }

        var ready = endpointSlices.ReadyEndpoints(hold.Key);
        foreach (var (port, spec) in HeldServicePorts.Of(hold.Service))
        {
            if (hold.Held.Listeners.ContainsKey(port))
            {
                hold.Feed(port, HeldServicePorts.Endpoints(spec, ready));
            }
        }

        if (ready.Count > 0 && HandedToPods(hold))
        {
            await hold.Held.EndAsync(HoldEnd.Drained).ConfigureAwait(false);
            Forget(hold);
        }
    }

    /// <summary>
    /// Every VIP of the Service in the Northbound has a backend other than the holder's listeners and
    /// none names a listener any more (true when none is known). In mode observe ovn-kubernetes lists
    /// the holder beside the pods for one write, until it has seen the holder's slice go: the
    /// listeners stay open until then, else a connection sent to the holder in that moment is refused.
    /// </summary>
    private bool HandedToPods(ActiveHold hold)
    {
        var listeners = hold.AllListeners.Select(Format).ToHashSet(StringComparer.Ordinal);
        foreach (var balancer in loadBalancers.All)
        {
            foreach (var (vipText, backends) in balancer.Vips)
            {
                if (!BelongsTo(balancer, vipText, hold.Key))
                {
                    continue;
                }

                var entries = BackendList.Entries(backends);
                if (entries.Length == 0 || entries.Any(listeners.Contains))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool BelongsTo(LoadBalancerInfo balancer, string vipText, ServiceKey service)
    {
        if (balancer.Owner is { } owner)
        {
            return owner == service;
        }

        return VipEndpoint.TryParse(vipText, out var vip) && frontends.TryResolve(vip, balancer.Protocol, out var resolved, out _) && resolved == service;
    }

    private bool IdledAnew(ActiveHold hold) =>
        services.TryGet(hold.Key, out var current) && IdledAt(current) is { } now && !string.Equals(now, IdledAt(hold.Service), StringComparison.Ordinal);

    private static string? IdledAt(k8s.Models.V1Service service) =>
        service.Metadata.Annotations?.Where(pair => OvnUnidler.Idling.Annotations.IdleAnnotations.IsIdledAtKey(pair.Key))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value).FirstOrDefault();

    private void Forget(ActiveHold hold)
    {
        if (!holds.Remove(hold))
        {
            return;
        }

        var end = hold.Held.Ended.IsCompletedSuccessfully ? hold.Held.Ended.Result : HoldEnd.Failed;
        var duration = timeProvider.GetUtcNow() - hold.StartedAt;
        metrics.ActiveHolds(holds.Count);
        metrics.HoldEnded(end == HoldEnd.Drained ? "drained" : "failed", duration);
        LogEnded(logger, hold.Key.ToString(), end, duration);
        if (endObservers.Length > 0)
        {
            Track(ReportAsync(hold, end, duration, stopping));
        }
    }

    private void Track(Task report)
    {
        lock (reportsGate)
        {
            reports.Add(report);
        }

        _ = report.ContinueWith(
            done =>
            {
                lock (reportsGate)
                {
                    reports.Remove(done);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Waits until the hold settled (its held TCP connections are reset asynchronously after a failure;
    /// a drained hold with a port still waiting settles at its deadline), then tells every observer.
    /// Never throws: a failure is logged and counted.
    /// </summary>
    private async Task ReportAsync(ActiveHold hold, HoldEnd end, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            var counts = await hold.Held.Settled.WaitAsync(cancellationToken).ConfigureAwait(false);
            var summary = new HoldSummary(hold.Key, hold.StartedAt, duration, end, counts);
            foreach (var observer in endObservers)
            {
                try
                {
                    await observer.OnHoldEndedAsync(summary, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // KubernetesClient throws its own request timeout as TaskCanceledException: a failure too.
                    metrics.ReportingFailed(observer.GetType().Name);
                    LogReportFailed(logger, exception, hold.Key.ToString(), observer.GetType().Name);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The instance stops: nothing more is written, and whatever a cancelled write threw is moot.
        }
    }

    /// <summary>A backend as ovn-nb(5) writes it in vips: IPv6 in brackets.</summary>
    internal static string Format(IPEndPoint endpoint) => endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{endpoint.Address}]:{endpoint.Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{endpoint.Address}:{endpoint.Port}");

    [LoggerMessage(EventId = EventIds.HoldEnded, EventName = nameof(EventIds.HoldEnded), Level = LogLevel.Information,
        Message = "The hold of Service {Service} ended {End} after {Duration}")]
    private static partial void LogEnded(ILogger logger, string service, HoldEnd end, TimeSpan duration);

    [LoggerMessage(EventId = EventIds.HoldReportFailed, EventName = nameof(EventIds.HoldReportFailed), Level = LogLevel.Warning,
        Message = "Reporting the ended hold of Service {Service} through {Observer} failed; the hold and the wake are unaffected")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string service, string observer);

    [LoggerMessage(EventId = EventIds.HoldSuperseded, EventName = nameof(EventIds.HoldSuperseded), Level = LogLevel.Information,
        Message = "Service {Service} was idled again while its connections were held: the hold fails, so the next packet raises a new event")]
    private static partial void LogIdledAnew(ILogger logger, string service);
}
