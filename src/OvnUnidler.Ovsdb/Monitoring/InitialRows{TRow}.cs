using System.Buffers;
using System.Text.Json;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// The rows of a monitor reply's state as they stream in. They are mapped in batches, a batch's
/// rows parsed as one JSON array (one document per batch, not per row), and kept in chunks small
/// enough to stay off the large object heap; once complete they become a <see cref="RowStore{TRow}"/>
/// of the exact size, so a 100,000-row reply leaves no trail of garbage or outgrown hash tables. The
/// chunks stay as the batch's record of what was inserted (the cache moves on; the batch must not).
/// </summary>
internal sealed class InitialRows<TRow>(TableMonitor<TRow> monitor, Action<(Guid Uuid, object Row)[]>? chunkFilled = null)
    where TRow : class
{
    /// <summary>Rows per chunk; a full chunk is never written again, so it may be handed on while the reply streams.</summary>
    public const int ChunkSize = 1024;
    private const int BatchRows = 128;

    private readonly List<(Guid Uuid, object Row)[]> chunks = [];
    private readonly ArrayBufferWriter<byte> batch = new(BatchRows * 256);
    private readonly List<(Guid Uuid, int Start, int Length)> batched = new(BatchRows);
    private int lastCount = ChunkSize;

    public int Count => (chunks.Count == 0 ? 0 : ((chunks.Count - 1) * ChunkSize) + lastCount) + batched.Count;

    /// <summary>Takes a row's JSON (valid only during the call); it is mapped with the rest of its batch.</summary>
    public void Add(Guid uuid, ReadOnlySpan<byte> row)
    {
        batch.Write(batched.Count == 0 ? "["u8 : ","u8);
        batched.Add((uuid, batch.WrittenCount, row.Length));
        batch.Write(row);
        if (batched.Count == BatchRows)
        {
            MapBatch();
        }
    }

    /// <summary>The rows in the order they came; valid once <see cref="ToStore"/> has mapped the last batch.</summary>
    public (Guid Uuid, MonitoredRow<TRow> Row) this[int index]
    {
        get
        {
            var (uuid, row) = chunks[index / ChunkSize][index % ChunkSize];
            return (uuid, RowStore<TRow>.Unpack(row));
        }
    }

    /// <summary>A store holding these rows; a uuid given twice keeps its last row.</summary>
    public RowStore<TRow> ToStore()
    {
        MapBatch();
        var store = new RowStore<TRow>(Count);
        for (var index = 0; index < chunks.Count; index++)
        {
            var chunk = chunks[index];
            var used = index == chunks.Count - 1 ? lastCount : ChunkSize;
            for (var position = 0; position < used; position++)
            {
                store.SetPacked(chunk[position].Uuid, chunk[position].Row);
            }
        }

        return store;
    }

    private void MapBatch()
    {
        if (batched.Count == 0)
        {
            return;
        }

        batch.Write("]"u8);
        using (var document = JsonDocument.Parse(batch.WrittenMemory))
        {
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var (uuid, start, length) = batched[index++];
                Store(uuid, monitor.MapRow(uuid, element, batch.WrittenSpan.Slice(start, length)));
            }
        }

        batched.Clear();
        batch.ResetWrittenCount();
    }

    private void Store(Guid uuid, MonitoredRow<TRow> row)
    {
        if (lastCount == ChunkSize)
        {
            chunks.Add(new (Guid, object)[ChunkSize]);
            lastCount = 0;
        }

        chunks[^1][lastCount++] = (uuid, RowStore<TRow>.Pack(row));
        if (lastCount == ChunkSize)
        {
            chunkFilled?.Invoke(chunks[^1]);
        }
    }
}
