namespace OvnUnidler.Ovsdb.Fuzzing.Conversation;

/// <summary>
/// One request of the recorded conversations, under a fixed id: the recorder sends it with that id
/// and the decoder reads the reply to that id as the client reads the reply of that method.
/// </summary>
/// <param name="MonitorId">For monitors and monitor_cancel: the monitor id the request names.</param>
/// <param name="Operations">For transact: how many operations the request holds.</param>
public sealed record PlannedCall(long Id, CallKind Kind, string Method, string? Database = null, string? MonitorId = null, int Operations = 0)
{
    /// <summary>monitor_cond_since, whose result is [found, last-txn-id, table-updates2].</summary>
    public bool IsSince => Method == "monitor_cond_since";
}
