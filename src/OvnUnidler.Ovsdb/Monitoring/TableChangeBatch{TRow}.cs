namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// Changes from one server message, in order. IsResync marks the difference computed after a
/// (re)connect: rows gone while disconnected come as deletes, new ones as inserts, nothing twice.
/// </summary>
public sealed record TableChangeBatch<TRow>(IReadOnlyList<TableChange<TRow>> Changes, bool IsResync)
    where TRow : class
{
    /// <summary>
    /// For changes from a monitor request's reply (every batch of a streamed reply included), that
    /// reply's number, counted per monitor from 1: its rows were in the table when the server
    /// answered, before its first batch was handed on. Null for an update notification.
    /// </summary>
    public int? Reply { get; init; }
}
