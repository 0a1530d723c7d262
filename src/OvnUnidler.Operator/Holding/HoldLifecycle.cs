using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Starts a hold when a Service's wake starts, if <see cref="HoldDecider"/> allows it, and fails
/// it when the wake fails (terminal, refused, the Service deleted, no backends by the deadline).
/// A wake that succeeded leaves the hold to <see cref="HoldTracker"/>, which ends it drained once
/// the pods' own backends are in the load balancer. The decision's reads run beside the wake,
/// never in its way; a failed read means no hold. Without an <see cref="IConnectionHolder"/>
/// registered, or without Unidler:HolderAddress, nothing is held (logged once).
/// </summary>
public sealed partial class HoldLifecycle(
    ActiveHolds holds,
    IHoldingReads reads,
    UnidlerMetrics metrics,
    IOptions<UnidlerOptions> options,
    IOptions<HttpEndpointOptions> http,
    TimeProvider timeProvider,
    ILogger<HoldLifecycle> logger,
    IConnectionHolder? holder = null) : IWakeStartObserver, IWakeObserver
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly IPAddress? advertised = options.Value.HolderIPAddress();
    private readonly ConcurrentDictionary<ServiceKey, Starting> starting = new();
    private int unavailableLogged;

    public void OnWakeStarted(ServiceKey service, DateTimeOffset deadline)
    {
        if (!options.Value.HoldConnections)
        {
            return;
        }

        if (holder is null || advertised is null)
        {
            metrics.HoldDecided("unavailable");
            if (Interlocked.Exchange(ref unavailableLogged, 1) == 0)
            {
                LogUnavailable(logger, holder is null ? "no connection holder is built into this operator" : "Unidler:HolderAddress is not set");
            }

            return;
        }

        var start = new Starting();
        if (holds.TryGet(service, out _) || !starting.TryAdd(service, start))
        {
            return;
        }

        _ = StartAsync(service, deadline, holder, advertised, start);
    }

    public async Task OnWakeFinishedAsync(WakeReport report, CancellationToken cancellationToken)
    {
        if (report.Outcome is not (EventOutcome.Terminal or EventOutcome.UnknownVip) && !report.BackendsTimedOut)
        {
            return;
        }

        if (starting.TryGetValue(report.Service, out var start))
        {
            lock (start)
            {
                start.Failed = true;
            }
        }

        if (holds.TryGet(report.Service, out var hold))
        {
            await hold.Held.EndAsync(HoldEnd.Failed).ConfigureAwait(false);
        }
    }

    private async Task StartAsync(ServiceKey service, DateTimeOffset deadline, IConnectionHolder connectionHolder, IPAddress address, Starting start)
    {
        try
        {
            HoldingFacts? facts = null;
            HoldDecision decision;
            try
            {
                using var timeout = new CancellationTokenSource(ReadTimeout, timeProvider);
                facts = await reads.ReadAsync(service, timeout.Token).ConfigureAwait(false);
                decision = HoldDecider.Decide(facts);
            }
            catch (Exception exception)
            {
                decision = HoldDecision.No("read-failed", $"reading what the decision needs failed ({exception.GetType().Name}: {exception.Message})");
            }

            metrics.HoldDecided(decision.Label);
            LogDecided(logger, service.ToString(), decision.Hold, decision.Label, decision.Reason);
            if (!decision.Hold || facts is null)
            {
                return;
            }

            var ports = HeldServicePorts.Of(facts.Service).Select(port => port.Port).ToArray();
            // Mode observe: ovn-kubernetes keeps one number per port name across the Service's slices,
            // so the holder listens on the pods' number where it can (docs/ovn-facts.md). Mode write
            // names each backend with its own port, and the range suffices.
            var preferred = options.Value.Backends == BackendsMode.Observe ? HeldServicePorts.PreferredListenerPorts(facts.Service, http.Value.Port) : null;
            lock (start)
            {
                if (start.Failed)
                {
                    return;
                }

                var held = connectionHolder.Hold(new HoldRequest(service.ToString(), ports, deadline, preferred));
                if (held is null)
                {
                    metrics.HoldDecided("no-room");
                    LogNoRoom(logger, service.ToString());
                    return;
                }

                holds.TryAdd(new ActiveHold(service, facts.Service, held, address, timeProvider.GetUtcNow()));
            }

            metrics.ActiveHolds(holds.Count);
            LogStarted(logger, service.ToString(), string.Join(", ", ports.Select(port => $"{port.Name}/{port.Protocol}")), deadline);
        }
        catch (Exception exception)
        {
            // Holding is an improvement on the wake, never a condition of it.
            LogStartFailed(logger, exception, service.ToString());
        }
        finally
        {
            starting.TryRemove(new KeyValuePair<ServiceKey, Starting>(service, start));
        }
    }

    [LoggerMessage(EventId = EventIds.HoldDecided, EventName = nameof(EventIds.HoldDecided), Level = LogLevel.Information,
        Message = "Connections of Service {Service} during its wake: hold {Hold} ({Decision}): {Reason}")]
    private static partial void LogDecided(ILogger logger, string service, bool hold, string decision, string reason);

    [LoggerMessage(EventId = EventIds.HoldUnavailable, EventName = nameof(EventIds.HoldUnavailable), Level = LogLevel.Warning,
        Message = "Unidler:HoldConnections is on but no connection can be held: {Reason}; wakes run without holding")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.HoldNoRoom, EventName = nameof(EventIds.HoldNoRoom), Level = LogLevel.Warning,
        Message = "The connection holder has no room for Service {Service} (held Services or listener ports at their limit); it wakes without holding")]
    private static partial void LogNoRoom(ILogger logger, string service);

    [LoggerMessage(EventId = EventIds.HoldStarted, EventName = nameof(EventIds.HoldStarted), Level = LogLevel.Information,
        Message = "Holding the connections of Service {Service} on {Ports} until its pods are served, at most until {Deadline}")]
    private static partial void LogStarted(ILogger logger, string service, string ports, DateTimeOffset deadline);

    [LoggerMessage(EventId = EventIds.HoldStartFailed, EventName = nameof(EventIds.HoldStartFailed), Level = LogLevel.Warning,
        Message = "Starting to hold the connections of Service {Service} failed; it wakes without holding")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string service);

    private sealed class Starting
    {
        public bool Failed { get; set; }
    }
}
