using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// A monitored table's cache, changed only by the server's updates, and the handler that is told
/// every change in order. After each (re)connect the initial state is compared with the cache and
/// only the differences are reported, so the consumer sees one consistent history. The cache takes
/// a batch only once the handler has returned: a handler that fails (or a connection lost while it
/// runs) gets the same changes again after the reconnect.
/// </summary>
public sealed partial class TableMonitor<TRow> : ITableMonitor
    where TRow : class
{
    private const string ZeroTransactionId = "00000000-0000-0000-0000-000000000000";

    private readonly TableMonitorRequest<TRow> request;
    private readonly Func<TableChangeBatch<TRow>, CancellationToken, ValueTask> handler;
    private readonly Lock gate = new();
    private readonly TaskCompletionSource firstInitial = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RowStore<TRow> rows = new();
    private int replies;
    private IReadOnlyDictionary<string, OvsdbColumnKind> columnKinds = new Dictionary<string, OvsdbColumnKind>();
    private TaskCompletionSource initialApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool cancelled;

    internal TableMonitor(string database, string monitorId, TableMonitorRequest<TRow> request, Func<TableChangeBatch<TRow>, CancellationToken, ValueTask> handler)
    {
        Database = database;
        MonitorId = monitorId;
        this.request = request;
        this.handler = handler;
    }

    public string Database { get; }

    public string MonitorId { get; }

    public string Table => request.Table;

    public IReadOnlyList<string> Columns => request.Columns;

    /// <summary>The last transaction the cache reflects (monitor_cond_since); all zeros when unknown.</summary>
    public string LastTransactionId { get; set; } = ZeroTransactionId;

    /// <summary>Cancelled with <see cref="OvsdbClient.CancelMonitorAsync{TRow}"/>: no longer fed nor re-established.</summary>
    public bool IsCancelled => cancelled;

    /// <summary>The rows as the server last reported them (rows that failed to map are not here).</summary>
    public IReadOnlyDictionary<Guid, TRow> Rows
    {
        get
        {
            lock (gate)
            {
                var copy = new Dictionary<Guid, TRow>(rows.Count);
                foreach (var (uuid, entry) in rows.Entries)
                {
                    if (entry.Row is { } row)
                    {
                        copy[uuid] = row;
                    }
                }

                return copy;
            }
        }
    }

    /// <summary>Rows the typed mapping rejected, with why; they are rows of the table all the same.</summary>
    public IReadOnlyList<OvsdbRowError> RowErrors
    {
        get
        {
            lock (gate)
            {
                return [.. rows.Entries.Where(pair => pair.Value.Error is not null).Select(pair => pair.Value.Error!)];
            }
        }
    }

    /// <summary>Every cached row, mapped or not.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return rows.Count;
            }
        }
    }

    object? ITableMonitor.EstablishedOn { get; set; }

    Task ITableMonitor.InitialApplied
    {
        get
        {
            lock (gate)
            {
                return initialApplied.Task;
            }
        }
    }

    public bool TryGetRow(Guid uuid, out TRow row)
    {
        lock (gate)
        {
            if (rows.TryGetValue(uuid, out var entry) && entry.Row is { } found)
            {
                row = found;
                return true;
            }
        }

        row = null!;
        return false;
    }

    /// <summary>Completes once the first initial state has been applied and handed to the handler.</summary>
    public Task WaitForInitialAsync(CancellationToken cancellationToken) => firstInitial.Task.WaitAsync(cancellationToken);

    void ITableMonitor.ResetInitial()
    {
        lock (gate)
        {
            if (initialApplied.Task.IsCompleted)
            {
                initialApplied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    void ITableMonitor.CompleteInitial()
    {
        lock (gate)
        {
            initialApplied.TrySetResult();
        }

        firstInitial.TrySetResult();
    }

    void ITableMonitor.Cancel() => cancelled = true;

    void ITableMonitor.UseColumnKinds(IReadOnlyDictionary<string, OvsdbColumnKind> kinds) => columnKinds = kinds;

    JsonObject ITableMonitor.BuildRequest(IReadOnlySet<string>? knownColumns)
    {
        var columns = request.Columns.Where(column => knownColumns is null || knownColumns.Contains(column));
        var json = new JsonObject { ["columns"] = new JsonArray([.. columns.Select(column => (JsonNode)column)]) };
        if (request.Where.Count > 0)
        {
            json["where"] = new JsonArray([.. request.Where.Select(condition => (JsonNode)condition.ToJson())]);
        }

        return json;
    }

    ITableUpdateCollector ITableMonitor.CreateCollector(int tableUpdatesIndex) => new TableUpdateCollector<TRow>(this, tableUpdatesIndex);

    ITableUpdateCollector ITableMonitor.CreateReplyCollector(int tableUpdatesIndex, CancellationToken cancellationToken)
    {
        bool empty;
        lock (gate)
        {
            empty = rows.Count == 0;
        }

        return new TableUpdateCollector<TRow>(
            this, tableUpdatesIndex, Interlocked.Increment(ref replies), request.StreamInitialRows && empty ? cancellationToken : null);
    }

    /// <summary>Maps one row; a row the mapping rejects is kept with its error (it is still a row of the table).</summary>
    internal MonitoredRow<TRow> ReadRow(Guid uuid, ReadOnlyMemory<byte> row)
    {
        using var document = JsonDocument.Parse(row);
        return MapRow(uuid, document.RootElement, row.Span);
    }

    internal MonitoredRow<TRow> MapRow(Guid uuid, JsonElement row, ReadOnlySpan<byte> json)
    {
        var raw = request.RetainRawRows ? json.ToArray() : null;
        try
        {
            return new MonitoredRow<TRow>(request.Map(uuid, row), null, raw);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return new MonitoredRow<TRow>(null, new OvsdbRowError(request.Table, uuid, exception.Message), raw);
        }
    }

    /// <summary>The row's JSON: kept, or rebuilt from the typed row; null when neither is possible.</summary>
    private byte[]? JsonOf(MonitoredRow<TRow> entry)
    {
        if (entry.Raw is { } raw)
        {
            return raw;
        }

        if (entry.Row is { } row && request.ToJson is { } toJson)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                toJson(row).WriteTo(writer);
            }

            return buffer.WrittenSpan.ToArray();
        }

        return null;
    }
}
