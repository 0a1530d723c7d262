using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Operator.Resilience;

namespace OvnUnidler.Operator.Acknowledgement;

/// <summary>
/// Deletes handled rows in batched transactions. Only rows whose event was acted on (or judged
/// terminal) are queued here; a failed delete is retried until it succeeds, since an
/// unacknowledged row blocks every later event of its VIP from its chassis (docs/ovn-facts.md).
/// </summary>
public sealed partial class AcknowledgementQueue(
    ISouthboundRowStore rows,
    IOptions<AcknowledgementOptions> options,
    UnidlerMetrics metrics,
    TimeProvider timeProvider,
    ILogger<AcknowledgementQueue> logger) : IPipelineStage
{
    public string Name => "acknowledgement";

    private readonly Channel<Guid> queue = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = false });
    private long pending;

    public long Pending => Interlocked.Read(ref pending);

    public void Acknowledge(IEnumerable<Guid> rowUuids, EventOutcome outcome)
    {
        var count = 0;
        foreach (var row in rowUuids)
        {
            queue.Writer.TryWrite(row);
            count++;
        }

        Interlocked.Add(ref pending, count);
        metrics.EventsHandled(outcome, count);
    }

    /// <summary>
    /// Several deleters share the queue, so that the next transaction is already on its way while
    /// ovsdb-server commits the previous one (batches are small, see <see cref="AcknowledgementOptions.MaxBatchSize"/>).
    /// </summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.TransactionsInFlight).Select(_ => RunDeleterAsync(stoppingToken)));

    private async Task RunDeleterAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Guid>(options.Value.MaxBatchSize);
        while (await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            while (batch.Count < options.Value.MaxBatchSize && queue.Reader.TryRead(out var row))
            {
                batch.Add(row);
            }

            await DeleteWithRetryAsync(batch, stoppingToken).ConfigureAwait(false);
            Interlocked.Add(ref pending, -batch.Count);
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
