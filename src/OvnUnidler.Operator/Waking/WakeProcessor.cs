using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Backends;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Operator.Resilience;

namespace OvnUnidler.Operator.Waking;

/// <summary>
/// Runs wakes from the coordinator, several Services in parallel and each Service once at a time.
/// Act, then acknowledge: rows are queued for deletion only after the wake succeeded or was
/// judged terminal; a transient failure keeps them and retries, and a shutdown leaves them in
/// the Southbound for the next run.
/// </summary>
public sealed partial class WakeProcessor(
    WakeCoordinator coordinator,
    IServiceWaker waker,
    IBackendGate backends,
    OutcomeStream outcomes,
    IEnumerable<IWakeObserver> observers,
    IEnumerable<IWakeStartObserver> startObservers,
    UnidlerMetrics metrics,
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider,
    ILogger<WakeProcessor> logger) : IPipelineStage
{
    public string Name => "waker";

    private readonly IWakeObserver[] observers = [.. observers];
    private readonly IWakeStartObserver[] startObservers = [.. startObservers];

    /// <summary>
    /// One reader hands each ready wake to a task of its own. A slot (at most WakeConcurrency at
    /// once) covers API work only: reading, scaling, NeedPods, the annotations. Waiting for pods
    /// and backends holds none, so a thousand Services with slow pods get their scale requests at
    /// once. (Dozens of workers all awaiting the same channel spent their time contending for its lock.)
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var concurrency = options.Value.WakeConcurrency;
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var running = new HashSet<Task>();
        var runningGate = new Lock();
        Exception? failure = null;
        try
        {
            await foreach (var wake in coordinator.Ready.ReadAllAsync(failed.Token).ConfigureAwait(false))
            {
                await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                var task = RunOneAsync(wake);
                lock (runningGate)
                {
                    if (!task.IsCompleted)
                    {
                        running.Add(task);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
        }

        // Wakes under way finish (or see the cancellation) before the stage ends.
        Task[] left;
        lock (runningGate)
        {
            left = [.. running];
        }

        await Task.WhenAll(left).ConfigureAwait(false);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        async Task RunOneAsync(PendingWake wake)
        {
            var slot = new Slot(slots);
            try
            {
                await ProcessAsync(wake, slot, stoppingToken).ConfigureAwait(false);
                metrics.ActiveWakes(coordinator.ActiveCount);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A defect, not a failed wake (those are retried inside ProcessAsync): the stage fails and the operator restarts.
                Interlocked.CompareExchange(ref failure, exception, null);
                await failed.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                slot.Release();
                lock (runningGate)
                {
                    running.RemoveWhere(task => task.IsCompleted);
                }
            }
        }
    }

    private async Task ProcessAsync(PendingWake wake, Slot slot, CancellationToken stoppingToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["Service"] = wake.Service.ToString() });
        if (++wake.Attempts == 1)
        {
            var deadline = timeProvider.GetUtcNow() + options.Value.BackendsTimeout;
            foreach (var observer in startObservers)
            {
                observer.OnWakeStarted(wake.Service, deadline);
            }
        }

        WakeAttempt attempt;
        try
        {
            attempt = await waker.WakeAsync(wake.Service, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception exception)
        {
            attempt = WakeAttempt.Retry($"{exception.GetType().Name}: {exception.Message}");
        }

        metrics.WakeAttempted(attempt.Outcome);
        if (attempt.Refusal is { } refusal)
        {
            metrics.TargetsRefused(1);
            wake.Refusal = refusal;
        }

        switch (attempt.Outcome)
        {
            case WakeOutcome.Woken:
                var scaleIssuedAt = timeProvider.GetUtcNow();
                wake.ScaleIssuedAt ??= scaleIssuedAt;
                metrics.WakeStage(WakeStages.ScaleIssued, scaleIssuedAt - wake.FirstSeen);
                LogWoken(logger, wake.Service.ToString(), attempt.ScaledTargets, wake.RowCount, scaleIssuedAt - wake.FirstSeen);
                slot.Release();
                await HoldUntilServedAsync(wake, EventOutcome.Woken, attempt, slot, stoppingToken).ConfigureAwait(false);
                break;
            case WakeOutcome.AlreadyAwake:
                LogAlreadyAwake(logger, wake.Service.ToString());
                slot.Release();
                await HoldUntilServedAsync(wake, wake.ScaleIssuedAt is null ? EventOutcome.AlreadyAwake : EventOutcome.Woken, attempt, slot, stoppingToken).ConfigureAwait(false);
                break;
            case WakeOutcome.NotIdled:
                // Awake, but its VIP may have no backends yet (another zone woke it, pods still
                // starting): the rows are held until it has, without reading the Service per row.
                LogNotIdled(logger, wake.Service.ToString(), wake.RowCount);
                slot.Release();
                await HoldUntilServedAsync(wake, wake.ScaleIssuedAt is null ? EventOutcome.NotIdled : EventOutcome.Woken, attempt, slot, stoppingToken).ConfigureAwait(false);
                break;
            case WakeOutcome.Terminal:
                LogTerminal(logger, wake.Service.ToString(), attempt.Reason);
                await FinishAsync(wake, EventOutcome.Terminal, attempt.Reason, null, stoppingToken).ConfigureAwait(false);
                break;
            default:
                await RetryOrGiveUpAsync(wake, attempt, stoppingToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// After the scale: the idle annotations stay until the pods are ready (ovn-kubernetes rejects
    /// traffic 30 s after they go), then go in a slot of their own; the rows are acknowledged once
    /// the VIPs have backends, or at the deadline. Rows arriving meanwhile join this wake. If the
    /// Service changes under the wait (idled again) the wake runs again; if it is deleted, its rows
    /// are acknowledged as unknown.
    /// </summary>
    private async Task HoldUntilServedAsync(PendingWake wake, EventOutcome outcome, WakeAttempt attempt, Slot slot, CancellationToken stoppingToken)
    {
        wake.Deadline ??= timeProvider.GetUtcNow() + options.Value.BackendsTimeout;
        var deadline = wake.Deadline.Value;
        var version = attempt.ServiceResourceVersion;
        DateTimeOffset? endpointsReadyAt = null;
        wake.HeldCount = wake.RowCount;
        metrics.HeldRows(Interlocked.Add(ref heldRows, wake.HeldCount));
        try
        {
            // A wake of ours waits for the pods (the annotations it kept, or an unidle grace someone
            // else's removal of them started, must last until then); a Service found awake does not.
            if (attempt.AnnotationsKept || wake.ScaleIssuedAt is not null)
            {
                var (endpoints, renewedVersion) = await WaitForEndpointsRenewingGraceAsync(wake, version, deadline, stoppingToken).ConfigureAwait(false);
                if (await RemappedAsync(wake, endpoints, stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                version = renewedVersion;
                endpointsReadyAt = endpoints.EndpointsReadyAt;
                if (endpointsReadyAt is { } ready && wake.ScaleIssuedAt is not null)
                {
                    metrics.WakeStage(WakeStages.EndpointsReady, ready - wake.FirstSeen);
                }
            }

            if (attempt.AnnotationsKept)
            {
                await slot.WaitAsync(stoppingToken).ConfigureAwait(false);
                WakeAttempt finished;
                try
                {
                    finished = await waker.FinishAsync(wake.Service, attempt, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    finished = WakeAttempt.Retry($"{exception.GetType().Name}: {exception.Message}");
                }
                finally
                {
                    slot.Release();
                }

                switch (finished.Outcome)
                {
                    case WakeOutcome.Retry:
                        // The annotations are still there: the next attempt finds the targets
                        // running and removes them (the record changed: it acts on the new one).
                        await RetryOrGiveUpAsync(wake, finished, stoppingToken).ConfigureAwait(false);
                        return;
                    case WakeOutcome.Terminal:
                        LogTerminal(logger, wake.Service.ToString(), finished.Reason);
                        await FinishAsync(wake, EventOutcome.Terminal, finished.Reason, null, stoppingToken).ConfigureAwait(false);
                        return;
                }

                version = finished.ServiceResourceVersion ?? version;
            }

            var result = await backends.WaitForBackendsAsync(wake.Service, () => coordinator.Snapshot(wake), version, deadline, stoppingToken).ConfigureAwait(false);
            if (await RemappedAsync(wake, result, stoppingToken).ConfigureAwait(false))
            {
                return;
            }

            result = result with { EndpointsReadyAt = endpointsReadyAt ?? result.EndpointsReadyAt };
            if (result.BackendsPresentAt is { } present)
            {
                if (wake.ScaleIssuedAt is not null)
                {
                    metrics.WakeStage(WakeStages.BackendsPresent, present - wake.FirstSeen);
                }

                LogBackendsPresent(logger, wake.Service.ToString(), present - wake.FirstSeen);
            }
            else if (result.Present)
            {
                LogEndpointsOnly(logger, wake.Service.ToString(), result.Reason);
            }
            else
            {
                metrics.BackendsTimedOut();
                LogBackendsTimedOut(logger, wake.Service.ToString(), result.Reason);
            }

            await FinishAsync(wake, outcome, result.Reason, result, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the rows were never acknowledged, so the next run handles them.
        }
        finally
        {
            metrics.HeldRows(Interlocked.Add(ref heldRows, -wake.HeldCount));
        }
    }

    private int heldRows;

    /// <summary>
    /// Waits for ready endpoints; where someone else removed the idle annotations meanwhile
    /// (OpenShift's unidling controller acting on NeedPods), renews k8s.ovn.org/unidled-at
    /// every UnidleGraceRenewal so that ovn-kubernetes does not start rejecting before the pods are up.
    /// </summary>
    private async Task<(BackendsResult Result, string? Version)> WaitForEndpointsRenewingGraceAsync(
        PendingWake wake, string? version, DateTimeOffset deadline, CancellationToken stoppingToken)
    {
        while (true)
        {
            var renewAt = timeProvider.GetUtcNow() + options.Value.UnidleGraceRenewal;
            var result = await backends.WaitForEndpointsAsync(wake.Service, version, renewAt < deadline ? renewAt : deadline, stoppingToken).ConfigureAwait(false);
            if (result.Present || result.Change != ServiceChange.None)
            {
                return (result, version);
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                return (result with { Reason = $"no ready endpoints within {options.Value.BackendsTimeout}" }, version);
            }

            try
            {
                // Our own write is not someone else's change: the wait goes on from its version.
                version = await waker.RenewGraceAsync(wake.Service, stoppingToken).ConfigureAwait(false) ?? version;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                metrics.ReportingFailed("unidle-grace");
                LogObserverFailed(logger, exception, "unidle-grace renewal");
            }
        }
    }

    /// <summary>True when the Service changed under the wait and its rows were handed on.</summary>
    private async Task<bool> RemappedAsync(PendingWake wake, BackendsResult result, CancellationToken stoppingToken)
    {
        switch (result.Change)
        {
            case ServiceChange.Changed:
                LogRemapped(logger, wake.Service.ToString(), wake.RowCount, "it changed (idled again?); waking it again");
                wake.Deadline = null;
                coordinator.RetryLater(wake, TimeSpan.Zero, stoppingToken);
                return true;
            case ServiceChange.Gone:
                LogRemapped(logger, wake.Service.ToString(), wake.RowCount, "it was deleted; acknowledging its rows as unknown");
                await FinishAsync(wake, EventOutcome.UnknownVip, "the Service was deleted", null, stoppingToken).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private async Task RetryOrGiveUpAsync(PendingWake wake, WakeAttempt attempt, CancellationToken stoppingToken)
    {
        wake.LastFailure = attempt.Reason;
        if (wake.Attempts >= options.Value.WakeMaxAttempts)
        {
            LogRetriesExhausted(logger, wake.Service.ToString(), wake.Attempts, attempt.Reason);
            await FinishAsync(wake, EventOutcome.Terminal, $"gave up after {wake.Attempts} attempts: {attempt.Reason}", null, stoppingToken)
                .ConfigureAwait(false);
            return;
        }

        var delay = RetryDelay(wake.Attempts, attempt.RetryAfter);
        LogRetry(logger, wake.Service.ToString(), wake.Attempts, delay, attempt.Reason);
        coordinator.RetryLater(wake, delay, stoppingToken);
    }

    private TimeSpan RetryDelay(int attempts, TimeSpan? retryAfter)
    {
        var backoff = new Backoff(options.Value.WakeRetryInitialBackoff, options.Value.WakeRetryMaxBackoff);
        var delay = TimeSpan.Zero;
        for (var i = 0; i < attempts; i++)
        {
            delay = backoff.Next();
        }

        return retryAfter is { } server && server > delay ? server : delay;
    }

    private async Task FinishAsync(PendingWake wake, EventOutcome outcome, string? reason, BackendsResult? result, CancellationToken stoppingToken)
    {
        // Only a wake that woke nothing because of a refusal covers new rows for a period; one that
        // woke the rest has backends, so its VIP raises no rows anyway.
        var events = coordinator.Complete(wake, outcome, wake.Refusal is not null && outcome == EventOutcome.Terminal ? options.Value.RefusalRetryPeriod : null);
        outcomes.Report(events.Select(@event => @event.RowUuid), outcome);
        var report = new WakeReport(
            wake.Service, outcome, reason, wake.Attempts, events, wake.FirstSeen, wake.ScaleIssuedAt,
            result?.EndpointsReadyAt, result?.BackendsPresentAt, timeProvider.GetUtcNow(), result is { Present: false })
        {
            Refusal = wake.Refusal,
        };
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnWakeFinishedAsync(report, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Reporting never decides a wake: a failure here, a request timeout included
                // (KubernetesClient throws its own timeout as TaskCanceledException), is logged and counted.
                metrics.ReportingFailed(observer.GetType().Name);
                LogObserverFailed(logger, exception, observer.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = EventIds.WakeSucceeded, EventName = nameof(EventIds.WakeSucceeded), Level = LogLevel.Information,
        Message = "Woke Service {Service}: scaled {Targets} target(s) for {Rows} row(s), {Latency} after the first row")]
    private static partial void LogWoken(ILogger logger, string service, int targets, int rows, TimeSpan latency);

    [LoggerMessage(EventId = EventIds.WakeAlreadyAwake, EventName = nameof(EventIds.WakeAlreadyAwake), Level = LogLevel.Information,
        Message = "Service {Service} was already being woken by someone else; its targets run")]
    private static partial void LogAlreadyAwake(ILogger logger, string service);

    [LoggerMessage(EventId = EventIds.WakeNotIdled, EventName = nameof(EventIds.WakeNotIdled), Level = LogLevel.Information,
        Message = "Service {Service} is not idled; acknowledging {Rows} row(s)")]
    private static partial void LogNotIdled(ILogger logger, string service, int rows);

    [LoggerMessage(EventId = EventIds.WakeTerminal, EventName = nameof(EventIds.WakeTerminal), Level = LogLevel.Warning,
        Message = "Waking Service {Service} cannot succeed: {Reason}; acknowledging its rows")]
    private static partial void LogTerminal(ILogger logger, string service, string? reason);

    [LoggerMessage(EventId = EventIds.WakeRetry, EventName = nameof(EventIds.WakeRetry), Level = LogLevel.Warning,
        Message = "Waking Service {Service} failed (attempt {Attempt}), retrying in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string service, int attempt, TimeSpan delay, string? reason);

    [LoggerMessage(EventId = EventIds.WakeRetriesExhausted, EventName = nameof(EventIds.WakeRetriesExhausted), Level = LogLevel.Error,
        Message = "Giving up waking Service {Service} after {Attempts} attempts: {Reason}")]
    private static partial void LogRetriesExhausted(ILogger logger, string service, int attempts, string? reason);

    [LoggerMessage(EventId = EventIds.BackendsPresent, EventName = nameof(EventIds.BackendsPresent), Level = LogLevel.Information,
        Message = "Service {Service} has backends again, {Latency} after the first row")]
    private static partial void LogBackendsPresent(ILogger logger, string service, TimeSpan latency);

    [LoggerMessage(EventId = EventIds.BackendsWithoutLoadBalancer, EventName = nameof(EventIds.BackendsWithoutLoadBalancer), Level = LogLevel.Information,
        Message = "Service {Service} has ready endpoints; {Reason}")]
    private static partial void LogEndpointsOnly(ILogger logger, string service, string? reason);

    [LoggerMessage(EventId = EventIds.BackendsTimedOut, EventName = nameof(EventIds.BackendsTimedOut), Level = LogLevel.Warning,
        Message = "Service {Service} was woken but its backends did not appear: {Reason}; acknowledging anyway")]
    private static partial void LogBackendsTimedOut(ILogger logger, string service, string? reason);

    [LoggerMessage(EventId = EventIds.HeldRowsRemapped, EventName = nameof(EventIds.HeldRowsRemapped), Level = LogLevel.Information,
        Message = "The {Rows} held row(s) of Service {Service} are mapped again: {Reason}")]
    private static partial void LogRemapped(ILogger logger, string service, int rows, string reason);

    [LoggerMessage(EventId = EventIds.WakeObserverFailed, EventName = nameof(EventIds.WakeObserverFailed), Level = LogLevel.Warning,
        Message = "Reporting a finished wake through {Observer} failed; the wake itself is done and its rows are acknowledged")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string observer);
}
