using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Operator.Recording;

/// <summary>Captures Controller_Event inserts from a live Southbound with their timing relative to the start.</summary>
public sealed class EventRecorder(OvsdbClient southbound, TimeProvider timeProvider)
{
    /// <summary>Writes one line per inserted row until cancelled; rows present at the start are written at offset 0.</summary>
    public async Task<int> RecordAsync(TextWriter output, bool includeExisting, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var count = 0;
        var initial = true;
        var monitor = southbound.Monitor(OvnTables.Southbound, ControllerEventRow.AllMonitor(), async (batch, token) =>
        {
            var initialBatch = initial;
            var skip = initial && !includeExisting;
            initial = false;
            foreach (var change in batch.Changes)
            {
                if (skip || change.Kind != TableChangeKind.Inserted || change.New is not { } row)
                {
                    continue;
                }

                var offset = initialBatch ? 0 : timeProvider.GetElapsedTime(started).TotalMilliseconds;
                var line = new RecordedEvent(Math.Round(offset, 3), row.Uuid, row.Chassis, row.SeqNum, row.EventType, row.EventInfo).ToJsonLine();
                await output.WriteLineAsync(line.AsMemory(), token).ConfigureAwait(false);
                await output.FlushAsync(token).ConfigureAwait(false);
                Interlocked.Increment(ref count);
            }
        });
        await southbound.StartAsync(cancellationToken).ConfigureAwait(false);
        await monitor.WaitForInitialAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return count;
    }
}
