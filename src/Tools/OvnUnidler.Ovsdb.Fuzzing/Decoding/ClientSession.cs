using OvnUnidler.Ovsdb.Clustering;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// What <see cref="OvsdbClient"/> does with what its connection hands it, for the calls of
/// <see cref="CallPlan"/>: reads each result with the client's own readers (MethodResults,
/// TransactionResults, MonitoredColumns), applies monitor replies and update2/update3 to real
/// <see cref="TableMonitor{TRow}"/>s (Controller_Event, Load_Balancer and the _Server Database table,
/// whose rows go through <see cref="ClusterMembership"/>), handles monitor_canceled, and answers the
/// server's requests. Error replies are remembered and the conversation goes on; a protocol error
/// is thrown, as the client then resets the connection.
/// </summary>
internal sealed partial class ClientSession
{
    private static readonly string[] DatabasesInUse = [OvnTables.Southbound, OvnTables.Northbound];

    private readonly Dictionary<long, PlannedCall> pending = new(CallPlan.ById);
    private readonly Dictionary<string, MonitorSlot> slots = new(StringComparer.Ordinal);
    private readonly Dictionary<long, MonitorSlot> slotsByCall = [];
    private readonly ClusterMembership membership = new(leaderOnly: false);
    private readonly TableMonitor<ServerDatabaseRow>? server;

    // Something computed from every row handed to a handler, so none is skipped unread.
    private long touched;

    public ClientSession(IReadOnlyDictionary<(string Database, string Table), Dictionary<string, OvsdbColumnKind>> kinds)
    {
        foreach (var call in CallPlan.Monitors)
        {
            var monitor = PlannedMonitors.Create(call, Handle, Handle, CheckMember);
            if (monitor is TableMonitor<ServerDatabaseRow> database)
            {
                server = database;
            }

            // As the client establishes a monitor: the column kinds of the schema it read first.
            if (kinds.TryGetValue((monitor.Database, monitor.Table), out var columns))
            {
                monitor.UseColumnKinds(columns);
            }

            var slot = new MonitorSlot(call, monitor);
            slots[monitor.MonitorId] = slot;
            slotsByCall[call.Id] = slot;
        }
    }

    /// <summary>Where the session is, for the kind of a rejection.</summary>
    public string Stage { get; set; } = "frame";

    /// <summary>The first error reply (or unreadable result of a call the client hands to its caller).</summary>
    public CaseOutcome? FirstCallError { get; private set; }

    /// <summary>The sink registered for a call, as the connection finds it for the framer (monitor calls only).</summary>
    public IJsonRpcResultSink? SinkFor(long id) => pending.ContainsKey(id) ? SinkOf(id) : null;

    /// <summary>The sink a monitor call is made with.</summary>
    public IJsonRpcResultSink? SinkOf(long id) => slotsByCall.TryGetValue(id, out var slot) ? slot.Collector : null;

    /// <summary>A response as the connection's read loop takes it: rows to the call's sink, then the call completes.</summary>
    public void OnResponse(JsonRpcMessage response)
    {
        if (response.NumericId is not { } id || !pending.Remove(id, out var call))
        {
            // Nobody waits for it: the connection drops it.
            return;
        }

        if (SinkOf(id) is { } sink)
        {
            Stage = "monitor-reply rows";
            TableUpdatesWalker.WalkResponse(response, sink);
        }

        Stage = call.Method;
        try
        {
            response.ThrowIfError(call.Method);
        }
        catch (OvsdbErrorException exception)
        {
            CallFailed(call, exception);
            return;
        }

        Answered(call, response);
    }

    /// <summary>An error reply: the call's caller gets it; the connection stays.</summary>
    public void CallFailed(PlannedCall call, Exception exception)
    {
        FirstCallError ??= CaseOutcome.Rejected(call.Method, exception);
        if (slotsByCall.TryGetValue(call.Id, out var slot))
        {
            // A monitor the server refused is not established; its updates are never applied.
            slot.Monitor.Cancel();
        }
    }

    /// <summary>A result, read as the client reads the result of that call.</summary>
    public void Answered(PlannedCall call, JsonRpcMessage response)
    {
        Stage = call.Method;
        switch (call.Kind)
        {
            case CallKind.ListDatabases:
                ToCaller(call, () => touched += MethodResults.DatabaseNames(response).Count);
                break;
            case CallKind.Transact:
                ToCaller(call, () => touched += TransactionResults.Read(response, Operations(call)).Count);
                break;
            case CallKind.GetSchema:
                // Read while establishing monitors: a schema without the monitored table resets the connection.
                var schema = MethodResults.Schema(response, call.Database!);
                foreach (var slot in slots.Values.Where(slot => slot.Monitor.Database == call.Database))
                {
                    slot.Monitor.UseColumnKinds(MonitoredColumns.KindsOf(schema, call.Database!, slot.Monitor.Table));
                }

                break;
            case CallKind.Monitor:
                ApplyReply(slotsByCall[call.Id]);
                break;
            default:
                // echo, set_db_change_aware, monitor_cancel: the client only waits for the reply.
                break;
        }
    }

    /// <summary>The server's request (echo): answered as the connection answers it, down to the bytes sent.</summary>
    public void OnRequest(JsonRpcMessage request)
    {
        Stage = "request " + request.Method;
        _ = JsonRpcConnection.Encode(ServerRequestReply.For(request));
    }

    /// <summary>Results the client hands to its caller (list_dbs, transact): an unreadable one fails that call only.</summary>
    private void ToCaller(PlannedCall call, Action read)
    {
        try
        {
            read();
        }
        catch (Exception exception) when (exception is OvsdbProtocolException or OvsdbTransactionException)
        {
            FirstCallError ??= CaseOutcome.Rejected(call.Method, exception);
        }
    }

    private static OvsdbOperation[] Operations(PlannedCall call) =>
        [.. Enumerable.Range(0, call.Operations).Select(index => OvsdbOperation.Comment($"operation {index}"))];
}
