using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// A monitored table's cache, changed only by the server's updates, and the handler that is told
/// every change in order. After each (re)connect the initial state is compared with the cache and
/// only the differences are reported, so the consumer sees one consistent history.
/// </summary>
public sealed class TableMonitor<TRow> : ITableMonitor
    where TRow : class
{
    private const string ZeroTransactionId = "00000000-0000-0000-0000-000000000000";

    private readonly TableMonitorRequest<TRow> request;
    private readonly Func<TableChangeBatch<TRow>, CancellationToken, ValueTask> handler;
    private readonly Lock gate = new();
    private readonly TaskCompletionSource firstInitial = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<Guid, Entry> rows = [];
    private TaskCompletionSource initialApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    public string LastTransactionId { get; set; } = ZeroTransactionId;

    /// <summary>The rows as the server last reported them (rows that failed to map are not here).</summary>
    public IReadOnlyDictionary<Guid, TRow> Rows
    {
        get
        {
            lock (gate)
            {
                return rows.Where(pair => pair.Value.Row is not null).ToDictionary(pair => pair.Key, pair => pair.Value.Row!);
            }
        }
    }

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

    Task ITableMonitor.InitialApplied => initialApplied.Task;

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

    async ValueTask ITableMonitor.ApplyAsync(ReadOnlyMemory<byte> tableUpdates, bool resync, CancellationToken cancellationToken)
    {
        var updates = TableUpdateReader.Read(tableUpdates, request.Table);
        var changes = resync ? Resynchronise(updates) : Apply(updates);
        if (changes.Count > 0 || resync)
        {
            await handler(new TableChangeBatch<TRow>(changes, resync), cancellationToken).ConfigureAwait(false);
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

    private List<TableChange<TRow>> Resynchronise(List<TableUpdateReader.RowUpdate> updates)
    {
        var fresh = new Dictionary<Guid, Entry>(updates.Count);
        foreach (var update in updates.Where(update => update.Kind is "initial" or "insert"))
        {
            fresh[update.Uuid] = Read(update.Uuid, update.Row);
        }

        var changes = new List<TableChange<TRow>>();
        var unchanged = new List<(Guid Uuid, Entry Old)>();
        lock (gate)
        {
            foreach (var (uuid, entry) in fresh)
            {
                if (!rows.TryGetValue(uuid, out var old))
                {
                    changes.Add(new TableChange<TRow>(TableChangeKind.Inserted, uuid, null, entry.Row, entry.Error));
                }
                else if (request.RetainRawRows && !old.Raw.AsSpan().SequenceEqual(entry.Raw))
                {
                    changes.Add(new TableChange<TRow>(TableChangeKind.Modified, uuid, old.Row, entry.Row, entry.Error));
                }
                else if (!request.RetainRawRows)
                {
                    // Without raw rows, an unchanged uuid is taken as the unchanged row (such tables are not modified).
                    unchanged.Add((uuid, old));
                }
            }

            foreach (var (uuid, old) in unchanged)
            {
                fresh[uuid] = old;
            }

            foreach (var (uuid, old) in rows)
            {
                if (!fresh.ContainsKey(uuid))
                {
                    changes.Add(new TableChange<TRow>(TableChangeKind.Deleted, uuid, old.Row, null));
                }
            }

            rows = fresh;
        }

        return changes;
    }

    private List<TableChange<TRow>> Apply(List<TableUpdateReader.RowUpdate> updates)
    {
        var changes = new List<TableChange<TRow>>(updates.Count);
        lock (gate)
        {
            foreach (var update in updates)
            {
                switch (update.Kind)
                {
                    case "initial" or "insert":
                        var inserted = Read(update.Uuid, update.Row);
                        var existed = rows.TryGetValue(update.Uuid, out var previous);
                        rows[update.Uuid] = inserted;
                        changes.Add(new TableChange<TRow>(
                            existed ? TableChangeKind.Modified : TableChangeKind.Inserted, update.Uuid, previous?.Row, inserted.Row, inserted.Error));
                        break;
                    case "delete":
                        if (rows.Remove(update.Uuid, out var deleted))
                        {
                            changes.Add(new TableChange<TRow>(TableChangeKind.Deleted, update.Uuid, deleted.Row, null));
                        }

                        break;
                    case "modify":
                        rows.TryGetValue(update.Uuid, out var before);
                        var after = Modify(update.Uuid, before, update.Row);
                        rows[update.Uuid] = after;
                        changes.Add(new TableChange<TRow>(TableChangeKind.Modified, update.Uuid, before?.Row, after.Row, after.Error));
                        break;
                }
            }
        }

        return changes;
    }

    private Entry Modify(Guid uuid, Entry? before, ReadOnlyMemory<byte> diff)
    {
        if (before?.Raw is null)
        {
            return new Entry(null, new OvsdbRowError(request.Table, uuid, "a modify arrived for a row whose columns are not retained"), null);
        }

        using var oldDocument = JsonDocument.Parse(before.Raw);
        using var diffDocument = JsonDocument.Parse(diff);
        var merged = new JsonObject();
        foreach (var column in oldDocument.RootElement.EnumerateObject())
        {
            merged[column.Name] = JsonNode.Parse(column.Value.GetRawText());
        }

        foreach (var column in diffDocument.RootElement.EnumerateObject())
        {
            var next = oldDocument.RootElement.TryGetProperty(column.Name, out var old)
                ? OvsdbWire.ApplyDiff(old, column.Value)
                : column.Value;
            merged[column.Name] = JsonNode.Parse(next.GetRawText());
        }

        return Read(uuid, JsonSerializer.SerializeToUtf8Bytes(merged));
    }

    private Entry Read(Guid uuid, ReadOnlyMemory<byte> row)
    {
        using var document = JsonDocument.Parse(row);
        var raw = request.RetainRawRows ? row.ToArray() : null;
        try
        {
            return new Entry(request.Map(uuid, document.RootElement), null, raw);
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or KeyNotFoundException or JsonException)
        {
            return new Entry(null, new OvsdbRowError(request.Table, uuid, exception.Message), raw);
        }
    }

    private sealed record Entry(TRow? Row, OvsdbRowError? Error, byte[]? Raw);
}
