using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>What to monitor of one table and how to read its rows.</summary>
/// <param name="Where">
/// monitor_cond conditions (ovsdb-server(7)). Unlike a transact where clause they are alternatives:
/// ovsdb-server sends a row that matches any of them. Empty: every row.
/// </param>
/// <param name="Map">Reads a row (only the monitored columns; RFC 7047 omits columns at their default) into TRow; may throw FormatException.</param>
/// <param name="RetainRawRows">
/// Keep each row's JSON so update2 "modify" diffs can be applied. Tables with many rows can save
/// that memory by setting <see cref="ToJson"/> instead, which rebuilds a row's JSON from TRow when a
/// modify arrives.
/// </param>
public sealed record TableMonitorRequest<TRow>(
    string Table,
    IReadOnlyList<string> Columns,
    IReadOnlyList<OvsdbCondition> Where,
    Func<Guid, JsonElement, TRow> Map,
    bool RetainRawRows = true)
    where TRow : class
{
    /// <summary>
    /// Writes a typed row back as the JSON of its monitored columns. Used without raw rows to apply a
    /// modify (a weak reference cleared when its target row is deleted modifies rows that are otherwise
    /// never updated) and to tell changed rows from unchanged ones after a reconnect.
    /// </summary>
    public Func<TRow, JsonObject>? ToJson { get; init; }

    /// <summary>
    /// Hand the rows of a monitor reply into an empty cache to the handler in chunks as they arrive
    /// (batches that are not resyncs), instead of once the whole reply is read; the last batch, a
    /// resync, holds the rest. A consumer of a large table starts on its first rows while ovsdb-server
    /// is still sending the others. After a reconnect into a non-empty cache the reply is compared as
    /// a whole, as without this.
    /// </summary>
    public bool StreamInitialRows { get; init; }
}
