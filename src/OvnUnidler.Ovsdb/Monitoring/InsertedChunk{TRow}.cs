using System.Collections;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// The inserts of one chunk of streamed initial rows, made as the handler reads them (as
/// <see cref="InsertedRows{TRow}"/> does for a whole reply): no change records next to the rows.
/// </summary>
internal sealed class InsertedChunk<TRow>((Guid Uuid, object Row)[] chunk) : IReadOnlyList<TableChange<TRow>>
    where TRow : class
{
    public int Count => chunk.Length;

    public TableChange<TRow> this[int index]
    {
        get
        {
            var (uuid, packed) = chunk[index];
            var entry = RowStore<TRow>.Unpack(packed);
            return new TableChange<TRow>(TableChangeKind.Inserted, uuid, null, entry.Row, entry.Error);
        }
    }

    public IEnumerator<TableChange<TRow>> GetEnumerator()
    {
        for (var index = 0; index < Count; index++)
        {
            yield return this[index];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
