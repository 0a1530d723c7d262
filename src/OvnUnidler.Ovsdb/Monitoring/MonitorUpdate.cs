using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// An update2 or update3 notification (ovsdb-server(7)): params [monitor-id, table-updates2] or
/// [monitor-id, last-txn-id, table-updates2]. The parts stay bytes of the message until applied.
/// </summary>
internal sealed record MonitorUpdate(string Method, string MonitorId, ReadOnlyMemory<byte>? LastTransactionId, ReadOnlyMemory<byte> TableUpdates)
{
    public static MonitorUpdate Parse(JsonRpcMessage notification)
    {
        var method = notification.Method!;
        var elements = TableUpdatesWalker.ArrayElements(notification.Params, $"{method} params");
        if (elements.Count != (method == "update2" ? 2 : 3))
        {
            throw new OvsdbProtocolException($"{method} has {elements.Count} params");
        }

        var monitorId = TableUpdatesWalker.ReadString(elements[0], $"{method} monitor id");
        // Typed: a bare null would convert to an empty ReadOnlyMemory (through byte[]), a last-txn-id of "".
        return new MonitorUpdate(method, monitorId, method == "update3" ? elements[1] : (ReadOnlyMemory<byte>?)null, elements[^1]);
    }

    /// <summary>ovsdb-server(7) monitor_canceled: params [monitor-id]; "?" when the server named none.</summary>
    public static string CanceledMonitorId(JsonRpcMessage notification)
    {
        var canceled = TableUpdatesWalker.ArrayElements(notification.Params, "monitor_canceled params");
        return canceled.Count > 0 ? TableUpdatesWalker.ReadString(canceled[0], "monitor_canceled monitor id") : "?";
    }
}
