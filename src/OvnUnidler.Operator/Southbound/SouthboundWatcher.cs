using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Operator.Southbound;

/// <summary>
/// Conditional monitor of Controller_Event (event_type == empty_lb_backends). Rows present when
/// the monitor starts (left while the operator was down) arrive as inserts like new ones. The
/// monitor callback only enqueues into the bounded channel, so a slow mapper slows the monitor
/// instead of losing rows.
/// </summary>
public sealed partial class SouthboundWatcher(
    [FromKeyedServices(DatabaseKeys.Southbound)] OvsdbClient southbound,
    SouthboundEventChannel channel,
    AcknowledgementQueue acknowledgements,
    ReadinessSignals readiness,
    UnidlerMetrics metrics,
    TimeProvider timeProvider,
    ILogger<SouthboundWatcher> logger) : IPipelineStage
{
    // The most rows one write hands over: a resynchronised table of 100,000 rows is not copied whole first.
    private const int SegmentRows = 1024;

    public string Name => "southbound-watcher";

    private int? currentReply;
    private long currentReplyStartedAt;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        readiness.Register(ReadinessNames.Southbound);
        southbound.StateChanged += state =>
        {
            var isConnected = state.Status == OvsdbConnectionStatus.Connected;
            readiness.Set(ReadinessNames.Southbound, isConnected);
            metrics.DatabaseConnected("southbound", isConnected);
        };
        var monitor = southbound.Monitor(
            OvnTables.Southbound,
            ControllerEventRow.EmptyLbBackendsMonitor(),
            (batch, token) => EnqueueAsync(batch, token));
        await southbound.StartAsync(cancellationToken).ConfigureAwait(false);
        await monitor.WaitForInitialAsync(cancellationToken).ConfigureAwait(false);
        readiness.Set(ReadinessNames.Southbound, true);
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EnqueueAsync(TableChangeBatch<ControllerEventRow> batch, CancellationToken cancellationToken)
    {
        var existedBy = ExistedBy(batch.Reply);
        var inserted = new List<ControllerEvent>(Math.Min(batch.Changes.Count, SegmentRows));
        foreach (var change in batch.Changes)
        {
            switch (change.Kind)
            {
                case TableChangeKind.Inserted when change.New is { } row:
                    inserted.Add(ToEvent(row, existedBy));
                    if (inserted.Count == SegmentRows)
                    {
                        await channel.WriteAsync(inserted, cancellationToken).ConfigureAwait(false);
                        inserted.Clear();
                    }

                    break;
                case TableChangeKind.Inserted when change.Error is { } error:
                    // A row the typed mapping rejects is still a row: acknowledge it so it cannot block its VIP.
                    LogUnreadable(logger, change.Uuid, error.Message);
                    acknowledgements.Acknowledge([change.Uuid], EventOutcome.Malformed);
                    break;
                case TableChangeKind.Deleted:
                    LogRemoved(logger, change.Uuid);
                    break;
            }
        }

        await channel.WriteAsync(inserted, cancellationToken).ConfigureAwait(false);
        metrics.ChannelDepth("southbound", channel.Depth);
    }

    // Handler calls come one at a time, in order: a reply's batches follow each other.
    private long ExistedBy(int? reply)
    {
        var now = timeProvider.GetTimestamp();
        if (reply is null)
        {
            return now;
        }

        if (reply != currentReply)
        {
            currentReply = reply;
            currentReplyStartedAt = now;
        }

        return currentReplyStartedAt;
    }

    private ControllerEvent ToEvent(ControllerEventRow row, long existedBy) => new(
        row.Uuid, row.Chassis, row.SeqNum, row.EventType, row.EventInfo, timeProvider.GetUtcNow(), existedBy);

    [LoggerMessage(EventId = EventIds.EventMalformed, EventName = nameof(EventIds.EventMalformed), Level = LogLevel.Warning,
        Message = "Controller_Event {RowUuid} could not be read ({Reason}); acknowledging it")]
    private static partial void LogUnreadable(ILogger logger, Guid rowUuid, string reason);

    [LoggerMessage(EventId = EventIds.RowRemovedByOthers, EventName = nameof(EventIds.RowRemovedByOthers), Level = LogLevel.Debug,
        Message = "Controller_Event {RowUuid} left the Southbound")]
    private static partial void LogRemoved(ILogger logger, Guid rowUuid);
}
