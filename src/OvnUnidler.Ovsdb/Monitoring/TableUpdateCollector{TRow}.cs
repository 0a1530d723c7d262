using System.Text.Json;
using System.Threading.Channels;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// Collects one message's row-updates for one monitor, mapping each row to TRow as it arrives
/// (for a streamed monitor reply, while the rest is still on the wire). "initial" rows (the state
/// of a monitor reply) are kept apart from inserts, modifies and deletes, which keep their order.
/// </summary>
internal sealed class TableUpdateCollector<TRow> : ITableUpdateCollector
    where TRow : class
{
    private readonly TableMonitor<TRow> monitor;
    private readonly Channel<(Guid Uuid, object Row)[]>? filledChunks;
    private readonly Task? streaming;
    private int streamed;

    /// <param name="streamInitialRows">
    /// Set for a reply into an empty cache whose request streams its initial rows: each full chunk of
    /// rows goes to the monitor's handler while the rest of the reply is still being read.
    /// </param>
    /// <param name="reply">The number of the monitor reply this collects; null for an update notification.</param>
    public TableUpdateCollector(TableMonitor<TRow> monitor, int tableUpdatesIndex, int? reply = null, CancellationToken? streamInitialRows = null)
    {
        this.monitor = monitor;
        TableUpdatesIndex = tableUpdatesIndex;
        Reply = reply;
        if (streamInitialRows is { } cancellationToken)
        {
            var chunks = Channel.CreateUnbounded<(Guid Uuid, object Row)[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            filledChunks = chunks;
            streaming = StreamAsync(chunks.Reader, cancellationToken);
            Initial = new InitialRows<TRow>(monitor, chunk => chunks.Writer.TryWrite(chunk));
        }
        else
        {
            Initial = new InitialRows<TRow>(monitor);
        }
    }

    public int TableUpdatesIndex { get; }

    public int? Reply { get; }

    public InitialRows<TRow> Initial { get; }

    public bool Found { get; private set; }

    public string? TransactionId { get; private set; }

    public List<Update> Updates { get; } = [];

    public int Count => Initial.Count + Updates.Count;

    public void OnResultElement(int index, ReadOnlySpan<byte> json)
    {
        switch (index)
        {
            case 0:
                Found = json.SequenceEqual("true"u8) || (json.SequenceEqual("false"u8)
                    ? false
                    : throw new OvsdbProtocolException($"monitor_cond_since found must be a boolean, found {JsonRpcMessage.Describe(json)}"));
                break;
            case 1:
                TransactionId = TableUpdatesWalker.ReadString(json.ToArray(), "monitor_cond_since last-txn-id");
                break;
        }
    }

    public void OnRowUpdate(string table, Guid uuid, ReadOnlyMemory<byte> rowUpdate)
    {
        if (!string.Equals(table, monitor.Table, StringComparison.Ordinal))
        {
            return;
        }

        var reader = new Utf8JsonReader(rowUpdate.Span);
        try
        {
            reader.Read();
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new OvsdbProtocolException($"row-update of {table} row {uuid} is empty");
            }

            var kind = reader.ValueTextEquals("initial"u8) ? RowUpdateKind.Initial
                : reader.ValueTextEquals("insert"u8) ? RowUpdateKind.Insert
                : reader.ValueTextEquals("modify"u8) ? RowUpdateKind.Modify
                : reader.ValueTextEquals("delete"u8) ? RowUpdateKind.Delete
                : throw new OvsdbProtocolException($"row-update of {table} row {uuid} has unknown member '{reader.GetString()}'");
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            var isObject = reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
            var value = rowUpdate[start..(int)reader.BytesConsumed];
            if (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                throw new OvsdbProtocolException($"row-update of {table} row {uuid} has more than one member");
            }

            if (kind != RowUpdateKind.Delete && !isObject)
            {
                throw new OvsdbProtocolException(
                    $"{kind.ToString().ToLowerInvariant()} of {table} row {uuid} must be an object, found {JsonRpcMessage.Describe(value.Span)}");
            }

            switch (kind)
            {
                case RowUpdateKind.Initial:
                    Initial.Add(uuid, value.Span);
                    break;
                case RowUpdateKind.Insert:
                    Updates.Add(new Update(uuid, kind, monitor.ReadRow(uuid, value), null));
                    break;
                case RowUpdateKind.Modify:
                    Updates.Add(new Update(uuid, kind, default, value.ToArray()));
                    break;
                default:
                    Updates.Add(new Update(uuid, kind, default, null));
                    break;
            }
        }
        catch (JsonException exception)
        {
            throw new OvsdbProtocolException($"malformed row-update of {table} row {uuid}: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Once the reply is read: waits until every streamed chunk was handled and returns how many rows
    /// were (the first ones of <see cref="Initial"/>); 0 when nothing was streamed.
    /// </summary>
    public async ValueTask<int> FinishStreamingAsync()
    {
        if (filledChunks is null)
        {
            return 0;
        }

        filledChunks.Writer.TryComplete();
        await streaming!.ConfigureAwait(false);
        return streamed;
    }

    public async ValueTask AbandonAsync()
    {
        if (filledChunks is null)
        {
            return;
        }

        try
        {
            await FinishStreamingAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The reply failed; the rows the handler did take are kept below.
        }

        // The handler has seen these rows: the cache takes them, so the reconnect's resync reports
        // only what differs from them (no row inserted twice, none left stale).
        monitor.TakeStreamedRows(Initial, streamed);
    }

    private async Task StreamAsync(ChannelReader<(Guid Uuid, object Row)[]> chunks, CancellationToken cancellationToken)
    {
        await foreach (var chunk in chunks.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await monitor.HandStreamedChunkAsync(chunk, Reply, cancellationToken).ConfigureAwait(false);
            streamed += chunk.Length;
        }
    }

    public readonly record struct Update(Guid Uuid, RowUpdateKind Kind, MonitoredRow<TRow> Row, byte[]? Diff);
}
