namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// Changes from one server message, in order. IsResync marks the difference computed after a
/// (re)connect: rows gone while disconnected come as deletes, new ones as inserts, nothing twice.
/// </summary>
public sealed record TableChangeBatch<TRow>(IReadOnlyList<TableChange<TRow>> Changes, bool IsResync)
    where TRow : class;
