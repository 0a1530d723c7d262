using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb.Clustering;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Fuzzing.Recording;

public sealed partial class CorpusRecorder
{
    // The NB load balancer the events name, as ovn-controller copies it into event_info.
    private const string BalancerUuid = "6b8f4a1c-0d2e-4f3a-9b5c-7e1d2c3b4a59";

    private async Task RecordSouthboundAsync(OvsdbServer server, int probePort, LabDirectory lab, List<Seed> seeds, CancellationToken cancellationToken)
    {
        // A chassis with two events, one event whose chassis is gone, and a tcp remote whose
        // inactivity probe (ovn-sb(5) Connection) makes the server send its own echo after a second.
        var setup = await server.TransactAsync($$$"""
            ["OVN_Southbound",
             {"op":"insert","table":"Encap","row":{"type":"geneve","ip":"192.0.2.11","chassis_name":"chassis-1"},"uuid-name":"encap"},
             {"op":"insert","table":"Chassis","row":{"name":"chassis-1","hostname":"node-1","encaps":["named-uuid","encap"]},"uuid-name":"chassis"},
             {{{Event(1, "10.96.0.10:80", "tcp", "[\"named-uuid\",\"chassis\"]")}}},
             {{{Event(2, "[fd00::a]:443", "udp", "[\"named-uuid\",\"chassis\"]")}}},
             {{{Event(3, "172.30.0.5:30080", "sctp", "[\"set\",[]]")}}},
             {"op":"insert","table":"Connection","row":{"target":"ptcp:{{{probePort}}}:127.0.0.1","inactivity_probe":{{{ProbeMilliseconds}}}},"uuid-name":"connection"},
             {"op":"insert","table":"SB_Global","row":{"connections":["named-uuid","connection"]}}]
            """, cancellationToken).ConfigureAwait(false);
        var chassis = InsertedUuids(setup)[1];

        await ConverseAsync("sb-handshake", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.ListDatabases, [], cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.ServerSchema, [ServerDatabaseRow.Database], cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.MonitorServer, MonitorRequests.For(CallPlan.MonitorServer), cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.ChangeAware, [true], cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.SouthboundSchema, [OvnTables.Southbound], cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var resumeFrom = await ConverseAsync("sb-since", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.MonitorEventsSince, MonitorRequests.For(CallPlan.MonitorEventsSince), cancellationToken).ConfigureAwait(false);
            var inserted = await TransactAndWaitAsync(session, CallPlan.InsertEvents, CallPlan.EventsSince, Transaction(
                OvnTables.Southbound,
                Event(4, "10.96.0.11:8080", "tcp", Uuid(chassis)),
                Event(5, "10.96.0.12:53", "udp", Uuid(chassis)),
                Event(6, "[fd00::b]:80", "tcp", "[\"set\",[]]")), cancellationToken).ConfigureAwait(false);
            await TransactAndWaitAsync(session, CallPlan.DeleteEvent, CallPlan.EventsSince, Transaction(
                OvnTables.Southbound, DeleteWhereUuid(OvnTables.ControllerEvent, InsertedUuid(inserted.Reply, 1))), cancellationToken).ConfigureAwait(false);

            // Deleting the chassis clears the weak references: a modify of each event that named it.
            var cleared = await TransactAndWaitAsync(session, CallPlan.DeleteChassis, CallPlan.EventsSince, Transaction(
                OvnTables.Southbound, """{"op":"delete","table":"Chassis","where":[["name","==","chassis-1"]]}"""), cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.SelectEvents, Transaction(
                OvnTables.Southbound, """{"op":"select","table":"Controller_Event","where":[]}"""), cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.Echo, ["fuzz"], cancellationToken).ConfigureAwait(false);
            return LastTransactionIdOf(cleared.Update);
        }, cancellationToken).ConfigureAwait(false);

        // While the client is away another writer inserts and deletes; the resumed monitor gets only that.
        await server.TransactAsync($$"""
            ["OVN_Southbound", {{Event(7, "10.96.0.13:443", "tcp", "[\"set\",[]]")}},
             {"op":"delete","table":"Controller_Event","where":[["seq_num","==",1]]}]
            """, cancellationToken).ConfigureAwait(false);
        await ConverseAsync("sb-resume", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.MonitorEventsSince, MonitorRequests.For(CallPlan.MonitorEventsSince, resumeFrom), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        await ConverseAsync("sb-cond", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.MonitorEventsCond, MonitorRequests.For(CallPlan.MonitorEventsCond), cancellationToken).ConfigureAwait(false);
            var inserted = await TransactAndWaitAsync(session, CallPlan.InsertEvents, CallPlan.EventsCond, Transaction(
                OvnTables.Southbound,
                Event(8, "10.96.1.1:80", "tcp", "[\"set\",[]]"),
                Event(9, "10.96.1.2:80", "tcp", "[\"set\",[]]"),
                Event(10, "[fd00::c]:8443", "sctp", "[\"set\",[]]")), cancellationToken).ConfigureAwait(false);
            await TransactAndWaitAsync(session, CallPlan.DeleteEvent, CallPlan.EventsCond, Transaction(
                OvnTables.Southbound, DeleteWhereUuid(OvnTables.ControllerEvent, InsertedUuid(inserted.Reply, 0))), cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.MonitorRefused, MonitorRequests.For(CallPlan.MonitorRefused, table: "No_Such_Table"), cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.CancelEventsCond, [CallPlan.EventsCond], cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        await ConverseAsync("errors", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.UnknownSchema, [CallPlan.UnknownDatabase], cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.UnknownMethod, [], cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.RefusedInsert, Transaction(
                OvnTables.Southbound, """{"op":"insert","table":"Controller_Event","row":{"event_type":"not_an_event","seq_num":1}}"""), cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.TransactUnknownDatabase, Transaction(
                CallPlan.UnknownDatabase, """{"op":"comment","comment":"fuzz"}"""), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        await ConverseAsync("echo", await ProbedRemoteAsync(probePort, cancellationToken).ConfigureAwait(false), seeds, async session =>
        {
            await session.CallAsync(CallPlan.Echo, ["fuzz"], cancellationToken).ConfigureAwait(false);
            await session.WaitForAsync(message => message.IsRequest && message.Method == "echo", "echo request", cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        await ConverseAsync("sb-converted", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.MonitorServer, MonitorRequests.For(CallPlan.MonitorServer), cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.ChangeAware, [true], cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.MonitorEventsCond, MonitorRequests.For(CallPlan.MonitorEventsCond), cancellationToken).ConfigureAwait(false);
            await server.Commands.RunAsync("ovsdb-client", ["convert", server.UnixRemote, await NewerSchemaAsync(lab, cancellationToken).ConfigureAwait(false)], cancellationToken)
                .ConfigureAwait(false);
            await session.WaitForAsync(message => message.IsNotification && message.Method == "monitor_canceled", "monitor_canceled", cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.Echo, ["fuzz"], cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a transaction and waits for its reply and for the monitor's update it causes.</summary>
    private static async Task<(JsonRpcMessage Reply, JsonRpcMessage Update)> TransactAndWaitAsync(
        RawSession session, PlannedCall call, string monitorId, JsonArray parameters, CancellationToken cancellationToken)
    {
        var reply = await session.CallAsync(call, parameters, cancellationToken).ConfigureAwait(false);
        var update = await session.WaitForUpdateAsync(monitorId, cancellationToken).ConfigureAwait(false);
        return (reply, update);
    }

    /// <summary>The server binds the Connection row's remote shortly after the row appears.</summary>
    private static async Task<string> ProbedRemoteAsync(int port, CancellationToken cancellationToken)
    {
        var remote = $"tcp:127.0.0.1:{port}";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var probe = await RawSession.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
                return remote;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 100)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The installed Southbound schema one version on, with a column added, for an online conversion.</summary>
    private static async Task<string> NewerSchemaAsync(LabDirectory lab, CancellationToken cancellationToken)
    {
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(OvnSchemas.Southbound, cancellationToken).ConfigureAwait(false))!.AsObject();
        var version = schema["version"]!.GetValue<string>().Split('.');
        schema["version"] = $"{version[0]}.{version[1]}.{int.Parse(version[2], CultureInfo.InvariantCulture) + 1}";
        schema["tables"]![OvnTables.ControllerEvent]!["columns"]!["fuzz_note"] = new JsonObject { ["type"] = "string" };
        var path = lab.Combine("sb-newer.ovsschema");
        await File.WriteAllTextAsync(path, schema.ToJsonString(), cancellationToken).ConfigureAwait(false);
        return path;
    }

    private static string Event(int sequence, string vip, string protocol, string chassis) => $$$"""
        {"op":"insert","table":"Controller_Event","row":{"event_type":"empty_lb_backends","seq_num":{{{sequence}}},"chassis":{{{chassis}}},
         "event_info":["map",[["vip","{{{vip}}}"],["protocol","{{{protocol}}}"],["load_balancer","{{{BalancerUuid}}}"]]]}}
        """;

    private static string Uuid(string uuid) => $"[\"uuid\",\"{uuid}\"]";

    private static string DeleteWhereUuid(string table, string uuid) => $$"""{"op":"delete","table":"{{table}}","where":[["_uuid","==",["uuid","{{uuid}}"]]]}""";

    private static string InsertedUuid(JsonRpcMessage reply, int index) =>
        JsonNode.Parse(reply.Result.Span)![index]!["uuid"]![1]!.GetValue<string>();
}
