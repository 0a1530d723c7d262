using System.Collections;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// The changes of a first state, when every row is an insert: made one at a time as the handler
/// reads them from the reply's own rows, instead of a list of 100,000 change records held next to
/// the 100,000 rows. It reads the collected rows, not the cache, so a handler that keeps the batch
/// sees the same changes later. The first <paramref name="skip"/> rows are left out (handed over
/// already while the reply streamed).
/// </summary>
internal sealed class InsertedRows<TRow>(InitialRows<TRow> rows, int skip = 0) : IReadOnlyList<TableChange<TRow>>
    where TRow : class
{
    public int Count => rows.Count - skip;

    public TableChange<TRow> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var (uuid, entry) = rows[skip + index];
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
