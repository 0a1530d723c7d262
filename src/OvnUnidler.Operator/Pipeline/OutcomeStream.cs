using System.Threading.Channels;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.Pipeline;

/// <summary>
/// The one way out of the pipeline for a Controller_Event row. The watcher (malformed rows), the
/// mapper (unknown VIPs, rows a wake already covers) and the waker (finished wakes) report here what
/// became of rows; the acknowledgement stage alone reads the stream and deletes them. No other stage
/// holds the Southbound row store, so a row is deleted only after a stage has decided its outcome.
/// </summary>
public sealed class OutcomeStream(UnidlerMetrics metrics)
{
    // Unbounded so that a stage reporting an outcome never waits on Southbound deletes.
    private readonly Channel<Guid> rows = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = false });

    public ChannelReader<Guid> Rows => rows.Reader;

    public void Report(IEnumerable<Guid> rowUuids, EventOutcome outcome)
    {
        var count = 0;
        foreach (var row in rowUuids)
        {
            rows.Writer.TryWrite(row);
            count++;
        }

        metrics.EventsHandled(outcome, count);
    }
}
