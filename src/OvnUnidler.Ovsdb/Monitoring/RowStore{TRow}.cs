namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// The rows of a monitor by uuid. A row that mapped and keeps no JSON (the common case) is stored
/// as the typed row itself, anything else as a small box: one reference per row instead of three.
/// </summary>
internal sealed class RowStore<TRow>(int capacity = 0)
    where TRow : class
{
    private readonly Dictionary<Guid, object> rows = new(capacity);

    public int Count => rows.Count;

    public IEnumerable<Guid> Keys => rows.Keys;

    public IEnumerable<KeyValuePair<Guid, MonitoredRow<TRow>>> Entries
    {
        get
        {
            foreach (var (uuid, value) in rows)
            {
                yield return new KeyValuePair<Guid, MonitoredRow<TRow>>(uuid, Unpack(value));
            }
        }
    }

    public MonitoredRow<TRow> this[Guid uuid]
    {
        get => Unpack(rows[uuid]);
        set => rows[uuid] = Pack(value);
    }

    public static object Pack(MonitoredRow<TRow> entry) =>
        entry is { Error: null, Raw: null, Row: { } row } ? row : new Boxed(entry);

    public static MonitoredRow<TRow> Unpack(object value) =>
        value is Boxed boxed ? boxed.Entry : new MonitoredRow<TRow>((TRow)value, null, null);

    public bool TryGetValue(Guid uuid, out MonitoredRow<TRow> entry)
    {
        if (rows.TryGetValue(uuid, out var value))
        {
            entry = Unpack(value);
            return true;
        }

        entry = default;
        return false;
    }

    public bool ContainsKey(Guid uuid) => rows.ContainsKey(uuid);

    public bool Remove(Guid uuid) => rows.Remove(uuid);

    public void SetPacked(Guid uuid, object packed) => rows[uuid] = packed;

    private sealed class Boxed(MonitoredRow<TRow> entry)
    {
        public MonitoredRow<TRow> Entry { get; } = entry;
    }
}
