namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// Receives the table-updates2 of a monitor reply row by row (RFC 7047 section 4.1.6 and
/// ovsdb-server(7) monitor_cond, monitor_cond_since), instead of the reply as one value. The bytes
/// handed over are valid only during the call.
/// </summary>
public interface IJsonRpcResultSink
{
    /// <summary>
    /// -1 when the result is the table-updates object (monitor_cond); otherwise the result is an
    /// array and the table-updates are its element at this index (monitor_cond_since: [found, last-txn-id, updates]).
    /// </summary>
    int TableUpdatesIndex { get; }

    /// <summary>An element of the result array that comes before the table-updates.</summary>
    void OnResultElement(int index, ReadOnlySpan<byte> json);

    /// <summary>One row-update ({"initial": row}, {"insert": row}, {"modify": diff} or {"delete": null}).</summary>
    void OnRowUpdate(string table, Guid uuid, ReadOnlyMemory<byte> rowUpdate);
}
