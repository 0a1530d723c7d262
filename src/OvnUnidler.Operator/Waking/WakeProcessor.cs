using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Backends;
using OvnUnidler.Operator.Configuration;
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
    AcknowledgementQueue acknowledgements,
    IEnumerable<IWakeObserver> observers,
    UnidlerMetrics metrics,
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider,
    ILogger<WakeProcessor> logger) : IPipelineStage
{
    public string Name => "waker";

    private readonly IWakeObserver[] observers = [.. observers];

    /// <summary>
    /// One reader hands each ready wake to a task of its own, at most WakeConcurrency at once.
    /// (Dozens of workers all awaiting the same channel spent their time contending for its lock.)
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var concurrency = options.Value.WakeConcurrency;
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Exception? failure = null;
        try
        {
            await foreach (var wake in coordinator.Ready.ReadAllAsync(failed.Token).ConfigureAwait(false))
            {
                await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                _ = RunOneAsync(wake);
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
        }

        // Wakes under way finish (or see the cancellation) before the stage ends.
        for (var i = 0; i < concurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        async Task RunOneAsync(PendingWake wake)
        {
            try
            {
                await ProcessAsync(wake, stoppingToken).ConfigureAwait(false);
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
                slots.Release();
            }
        }
    }

    internal async Task ProcessAsync(PendingWake wake, CancellationToken stoppingToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["Service"] = wake.Service.ToString() });
        wake.Attempts++;
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
        switch (attempt.Outcome)
        {
            case WakeOutcome.Woken:
                var scaleIssuedAt = timeProvider.GetUtcNow();
                metrics.WakeStage(WakeStages.ScaleIssued, scaleIssuedAt - wake.FirstSeen);
                LogWoken(logger, wake.Service.ToString(), attempt.ScaledTargets, wake.RowCount, scaleIssuedAt - wake.FirstSeen);
                await FinishWithBackendsAsync(wake, EventOutcome.Woken, scaleIssuedAt, stoppingToken).ConfigureAwait(false);
                break;
            case WakeOutcome.AlreadyAwake:
                LogAlreadyAwake(logger, wake.Service.ToString());
                await FinishWithBackendsAsync(wake, EventOutcome.AlreadyAwake, null, stoppingToken).ConfigureAwait(false);
                break;
            case WakeOutcome.NotIdled:
                LogNotIdled(logger, wake.Service.ToString(), wake.RowCount);
                await FinishAsync(wake, EventOutcome.NotIdled, attempt.Reason, null, null, stoppingToken).ConfigureAwait(false);
                break;
            case WakeOutcome.Terminal:
                LogTerminal(logger, wake.Service.ToString(), attempt.Reason);
                await FinishAsync(wake, EventOutcome.Terminal, attempt.Reason, null, null, stoppingToken).ConfigureAwait(false);
                break;
            default:
                await RetryOrGiveUpAsync(wake, attempt, stoppingToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task RetryOrGiveUpAsync(PendingWake wake, WakeAttempt attempt, CancellationToken stoppingToken)
    {
        wake.LastFailure = attempt.Reason;
        if (wake.Attempts >= options.Value.WakeMaxAttempts)
        {
            LogRetriesExhausted(logger, wake.Service.ToString(), wake.Attempts, attempt.Reason);
            await FinishAsync(wake, EventOutcome.Terminal, $"gave up after {wake.Attempts} attempts: {attempt.Reason}", null, null, stoppingToken)
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

    private async Task FinishWithBackendsAsync(PendingWake wake, EventOutcome outcome, DateTimeOffset? scaleIssuedAt, CancellationToken stoppingToken)
    {
        BackendsResult result;
        try
        {
            result = await backends.WaitForBackendsAsync(wake.Service, coordinator.Snapshot(wake), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        if (result.EndpointsReadyAt is { } ready && scaleIssuedAt is not null)
        {
            metrics.WakeStage(WakeStages.EndpointsReady, ready - wake.FirstSeen);
        }

        if (result.BackendsPresentAt is { } present)
        {
            if (scaleIssuedAt is not null)
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

        await FinishAsync(wake, outcome, result.Reason, scaleIssuedAt, result, stoppingToken).ConfigureAwait(false);
    }

    private async Task FinishAsync(
        PendingWake wake, EventOutcome outcome, string? reason, DateTimeOffset? scaleIssuedAt, BackendsResult? result, CancellationToken stoppingToken)
    {
        var events = coordinator.Complete(wake, outcome);
        acknowledgements.Acknowledge(events.Select(@event => @event.RowUuid), outcome);
        var report = new WakeReport(
            wake.Service, outcome, reason, wake.Attempts, events, wake.FirstSeen, scaleIssuedAt,
            result?.EndpointsReadyAt, result?.BackendsPresentAt, timeProvider.GetUtcNow(), result is { Present: false });
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnWakeFinishedAsync(report, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
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

    [LoggerMessage(EventId = EventIds.WakeObserverFailed, EventName = nameof(EventIds.WakeObserverFailed), Level = LogLevel.Warning,
        Message = "Wake observer {Observer} failed; the wake itself is done and its rows are acknowledged")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string observer);
}
