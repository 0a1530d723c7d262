namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// One cached row: the typed row, or the error that kept it from mapping, and its JSON when the
/// monitor retains rows to apply update2 diffs. A struct, stored inline in the cache's dictionary.
/// </summary>
internal readonly record struct MonitoredRow<TRow>(TRow? Row, OvsdbRowError? Error, byte[]? Raw)
    where TRow : class;
