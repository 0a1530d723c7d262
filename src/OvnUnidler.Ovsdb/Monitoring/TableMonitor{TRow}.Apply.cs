using System.Buffers;
using System.Text.Json;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Monitoring;

public sealed partial class TableMonitor<TRow>
{
    // Batches are applied one at a time (the initial state, then each notification in order), so
    // the cache is read here without the lock and written under it only to commit.
    ValueTask ITableMonitor.ApplyAsync(ITableUpdateCollector updates, bool resync, CancellationToken cancellationToken) =>
        ApplyCollectedAsync((TableUpdateCollector<TRow>)updates, resync, streamed: 0, cancellationToken);

    /// <summary>
    /// One chunk of a streaming reply's rows, as inserts. The cache takes the rows with the rest of
    /// the reply, once it is read whole (or, should it be cut off, with <see cref="TakeStreamedRows"/>).
    /// </summary>
    internal ValueTask HandStreamedChunkAsync((Guid Uuid, object Row)[] chunk, int? reply, CancellationToken cancellationToken) =>
        handler(new TableChangeBatch<TRow>(new InsertedChunk<TRow>(chunk), IsResync: false) { Reply = reply }, cancellationToken);

    /// <summary>The first <paramref name="count"/> rows of a reply were handed to the handler: the cache takes them.</summary>
    internal void TakeStreamedRows(InitialRows<TRow> initial, int count)
    {
        lock (gate)
        {
            for (var index = 0; index < count; index++)
            {
                var (uuid, entry) = initial[index];
                rows[uuid] = entry;
            }
        }
    }

    private async ValueTask ApplyCollectedAsync(TableUpdateCollector<TRow> collected, bool resync, int streamed, CancellationToken cancellationToken)
    {
        if (resync)
        {
            var (changes, fresh) = Resynchronise(collected, streamed);
            await handler(new TableChangeBatch<TRow>(changes, IsResync: true) { Reply = collected.Reply }, cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                rows = fresh;
            }

            return;
        }

        var (applied, overlay) = Apply(collected);
        if (applied.Count > 0)
        {
            await handler(new TableChangeBatch<TRow>(applied, IsResync: false) { Reply = collected.Reply }, cancellationToken).ConfigureAwait(false);
        }

        lock (gate)
        {
            foreach (var (uuid, entry) in overlay)
            {
                if (entry is { } present)
                {
                    rows[uuid] = present;
                }
                else
                {
                    rows.Remove(uuid);
                }
            }
        }
    }

    async ValueTask ITableMonitor.ApplyReplyAsync(ITableUpdateCollector reply, CancellationToken cancellationToken)
    {
        var collected = (TableUpdateCollector<TRow>)reply;
        var streamed = await collected.FinishStreamingAsync().ConfigureAwait(false);

        // Streamed rows went into an empty cache, so the reply is the whole table whatever found says.
        await ApplyCollectedAsync(collected, resync: streamed > 0 || reply.TableUpdatesIndex < 0 || !reply.Found, streamed, cancellationToken)
            .ConfigureAwait(false);
        LastTransactionId = reply.TransactionId ?? LastTransactionId;
    }

    async ValueTask ITableMonitor.ApplyUpdateAsync(MonitorUpdate update, CancellationToken cancellationToken)
    {
        ITableMonitor monitor = this;
        var collector = monitor.CreateCollector();
        TableUpdatesWalker.WalkTableUpdates(update.TableUpdates, collector);
        await monitor.ApplyAsync(collector, resync: false, cancellationToken).ConfigureAwait(false);

        // Only once applied: a failure before this point resumes from the previous transaction.
        if (update.LastTransactionId is { } transactionId)
        {
            LastTransactionId = TableUpdatesWalker.ReadString(transactionId, "update3 last-txn-id");
        }
    }

    private (IReadOnlyList<TableChange<TRow>> Changes, RowStore<TRow> Fresh) Resynchronise(TableUpdateCollector<TRow> collected, int streamed)
    {
        var fresh = collected.Initial.ToStore();
        foreach (var update in collected.Updates.Where(update => update.Kind == RowUpdateKind.Insert))
        {
            fresh[update.Uuid] = update.Row;
        }

        // Into an empty cache every row is an insert; unless the server named a row twice, the
        // collected rows are those changes already (less the first ones, handed over as they streamed).
        if (rows.Count == 0 && fresh.Count == collected.Initial.Count && collected.Updates.Count == 0)
        {
            return (new InsertedRows<TRow>(collected.Initial, streamed), fresh);
        }

        // Otherwise the difference is taken from what the handler has seen, streamed rows included.
        TakeStreamedRows(collected.Initial, streamed);

        var changes = new List<TableChange<TRow>>();
        var unchanged = new List<(Guid Uuid, MonitoredRow<TRow> Old)>();
        foreach (var (uuid, entry) in fresh.Entries)
        {
            if (!rows.TryGetValue(uuid, out var old))
            {
                changes.Add(new TableChange<TRow>(TableChangeKind.Inserted, uuid, null, entry.Row, entry.Error));
            }
            else if (Changed(old, entry))
            {
                changes.Add(new TableChange<TRow>(TableChangeKind.Modified, uuid, old.Row, entry.Row, entry.Error));
            }
            else
            {
                unchanged.Add((uuid, old));
            }
        }

        // An unchanged row keeps its object, so consumers holding it see no churn.
        foreach (var (uuid, old) in unchanged)
        {
            fresh[uuid] = old;
        }

        foreach (var (uuid, old) in rows.Entries)
        {
            if (!fresh.ContainsKey(uuid))
            {
                changes.Add(new TableChange<TRow>(TableChangeKind.Deleted, uuid, old.Row, null));
            }
        }

        return (changes, fresh);
    }

    private (List<TableChange<TRow>> Changes, Dictionary<Guid, MonitoredRow<TRow>?> Overlay) Apply(TableUpdateCollector<TRow> collected)
    {
        var changes = new List<TableChange<TRow>>(collected.Count);
        var overlay = new Dictionary<Guid, MonitoredRow<TRow>?>();
        foreach (var (uuid, entry) in collected.Initial.ToStore().Entries)
        {
            Insert(uuid, entry);
        }

        foreach (var update in collected.Updates)
        {
            var existing = Lookup(update.Uuid);
            switch (update.Kind)
            {
                case RowUpdateKind.Insert:
                    Insert(update.Uuid, update.Row);
                    break;
                case RowUpdateKind.Delete when existing is { } deleted:
                    changes.Add(new TableChange<TRow>(TableChangeKind.Deleted, update.Uuid, deleted.Row, null));
                    overlay[update.Uuid] = null;
                    break;
                case RowUpdateKind.Delete:
                    break;
                case RowUpdateKind.Modify when existing is { } before:
                    var after = Modify(update.Uuid, before, update.Diff!);
                    changes.Add(new TableChange<TRow>(TableChangeKind.Modified, update.Uuid, before.Row, after.Row, after.Error));
                    overlay[update.Uuid] = after;
                    break;
                default:
                    // The cache and the server disagree: forget the resume point so the reconnect resends everything.
                    LastTransactionId = ZeroTransactionId;
                    throw new OvsdbProtocolException($"{Table}: a modify arrived for row {update.Uuid}, which the cache does not hold");
            }
        }

        return (changes, overlay);

        MonitoredRow<TRow>? Lookup(Guid uuid) =>
            overlay.TryGetValue(uuid, out var pending) ? pending : rows.TryGetValue(uuid, out var cached) ? cached : null;

        void Insert(Guid uuid, MonitoredRow<TRow> entry)
        {
            var previous = Lookup(uuid);
            changes.Add(new TableChange<TRow>(
                previous is null ? TableChangeKind.Inserted : TableChangeKind.Modified, uuid, previous?.Row, entry.Row, entry.Error));
            overlay[uuid] = entry;
        }
    }

    private MonitoredRow<TRow> Modify(Guid uuid, MonitoredRow<TRow> before, byte[] diff)
    {
        if (JsonOf(before) is not { } json)
        {
            return new MonitoredRow<TRow>(null, new OvsdbRowError(Table, uuid,
                "a modify arrived for a row whose JSON is neither retained nor rebuilt (set RetainRawRows or ToJson)"), null);
        }

        using var oldDocument = JsonDocument.Parse(json);
        using var diffDocument = JsonDocument.Parse(diff);
        var old = oldDocument.RootElement;
        var changes = diffDocument.RootElement;
        var buffer = new ArrayBufferWriter<byte>(json.Length + diff.Length);
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartObject();
            foreach (var column in old.EnumerateObject())
            {
                writer.WritePropertyName(column.Name);
                (changes.TryGetProperty(column.Name, out var change) ? Merge(column.Name, column.Value, change) : column.Value).WriteTo(writer);
            }

            foreach (var column in changes.EnumerateObject())
            {
                if (!old.TryGetProperty(column.Name, out _))
                {
                    writer.WritePropertyName(column.Name);
                    Merge(column.Name, default, column.Value).WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }
        catch (FormatException exception)
        {
            return new MonitoredRow<TRow>(null, new OvsdbRowError(Table, uuid, $"cannot apply the modify: {exception.Message}"), null);
        }

        return ReadRow(uuid, buffer.WrittenMemory);
    }

    private JsonElement Merge(string column, JsonElement old, JsonElement diff)
    {
        try
        {
            return columnKinds.TryGetValue(column, out var kind) ? OvsdbWire.ApplyDiff(old, diff, kind) : OvsdbWire.ApplyDiff(old, diff);
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException)
        {
            throw new FormatException($"column {column}: {exception.Message}", exception);
        }
    }

    private bool Changed(MonitoredRow<TRow> old, MonitoredRow<TRow> fresh)
    {
        if ((old.Error is null) != (fresh.Error is null))
        {
            return true;
        }

        // Equal typed rows are the same row (records compare by value); unequal ones may still be
        // (a map held as a Dictionary compares by reference), so they go on to the JSON.
        if (old.Row is not null && EqualityComparer<TRow>.Default.Equals(old.Row, fresh.Row))
        {
            return false;
        }

        // Without the JSON of both there is nothing to compare; such tables are declared never modified.
        if (JsonOf(old) is not { } before || JsonOf(fresh) is not { } after)
        {
            return false;
        }

        if (before.AsSpan().SequenceEqual(after))
        {
            return false;
        }

        using var left = JsonDocument.Parse(before);
        using var right = JsonDocument.Parse(after);
        return !OvsdbWire.RowEquals(left.RootElement, right.RootElement);
    }
}
