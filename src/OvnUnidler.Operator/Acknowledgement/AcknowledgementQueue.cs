using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Operator.Resilience;

namespace OvnUnidler.Operator.Acknowledgement;

/// <summary>
/// The only code that deletes Controller_Event rows: it reads the rows whose outcome a stage has
/// decided from the <see cref="OutcomeStream"/> and deletes them in batched transactions. A failed
/// delete is retried until it succeeds, since an unacknowledged row blocks every later event of its
/// VIP from its chassis (docs/ovn-facts.md).
/// </summary>
public sealed partial class AcknowledgementQueue(
    OutcomeStream outcomes,
    ISouthboundRowStore rows,
    IOptions<AcknowledgementOptions> options,
    UnidlerMetrics metrics,
    TimeProvider timeProvider,
    ILogger<AcknowledgementQueue> logger) : IPipelineStage
{
    public string Name => "acknowledgement";

    /// <summary>
    /// Several deleters share the stream, so that the next transaction is already on its way while
    /// ovsdb-server commits the previous one (batches are small, see <see cref="AcknowledgementOptions.MaxBatchSize"/>).
    /// </summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.TransactionsInFlight).Select(_ => RunDeleterAsync(stoppingToken)));

    private async Task RunDeleterAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Guid>(options.Value.MaxBatchSize);
        while (await outcomes.Rows.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            while (batch.Count < options.Value.MaxBatchSize && outcomes.Rows.TryRead(out var row))
            {
                batch.Add(row);
            }

            await DeleteWithRetryAsync(batch, stoppingToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task DeleteWithRetryAsync(List<Guid> batch, CancellationToken stoppingToken)
    {
        var backoff = new Backoff(options.Value.RetryInitialBackoff, options.Value.RetryMaxBackoff);
        while (true)
        {
            try
            {
                var started = timeProvider.GetTimestamp();
                await rows.DeleteAsync(batch, stoppingToken).ConfigureAwait(false);
                metrics.RowsDeleted(batch.Count, timeProvider.GetElapsedTime(started));
                LogDeleted(logger, batch.Count);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var delay = backoff.Next();
                metrics.AcknowledgementFailed();
                LogDeleteFailed(logger, exception, batch.Count, delay);
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = EventIds.RowsDeleted, EventName = nameof(EventIds.RowsDeleted), Level = LogLevel.Debug, Message = "Deleted {Count} Controller_Event rows")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.RowDeleteFailed, EventName = nameof(EventIds.RowDeleteFailed), Level = LogLevel.Warning,
        Message = "Deleting {Count} Controller_Event rows failed; retrying in {Delay}")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, int count, TimeSpan delay);
}
