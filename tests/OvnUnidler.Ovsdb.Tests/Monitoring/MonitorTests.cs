using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Tests.Harness;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Tests.Monitoring;

[Collection(SouthboundCollection.Name)]
public sealed class MonitorTests(SouthboundFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sees_initial_rows_then_inserts_updates_and_deletes_in_order()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        var initial = await fixture.Tables.InsertEventsAsync([1, 2]);
        var recorder = new BatchRecorder<ControllerEventRow>();
        await using var client = fixture.CreateClient();
        // The operator's monitor: monitor_cond on event_type == empty_lb_backends, rows kept without their JSON.
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();

        var inserted = (await fixture.Tables.InsertEventsAsync([3]))[0];
        await fixture.Tables.UpdateAsync(OvnTables.ControllerEvent, initial[0], """{"seq_num":100}""");
        await fixture.Tables.MutateAsync(OvnTables.ControllerEvent, initial[1], """[["event_info","insert",["map",[["reason","idle"]]]]]""");
        await fixture.Tables.DeleteAsync(OvnTables.ControllerEvent, initial[0]);
        await recorder.WaitForAsync(changes => changes.Count == 6, "six changes");

        var changes = recorder.Changes;
        Assert.True(recorder.Batches[0].IsResync);
        Assert.Equal(1, recorder.Batches[0].Reply);
        Assert.All(recorder.Batches.Skip(1), batch => Assert.Null(batch.Reply));
        Assert.Equal(initial.Order(), changes.Take(2).Select(change => change.Uuid).Order());
        Assert.All(changes.Take(2), change => Assert.Equal(TableChangeKind.Inserted, change.Kind));
        Assert.Equal((TableChangeKind.Inserted, inserted), (changes[2].Kind, changes[2].Uuid));
        Assert.Equal((TableChangeKind.Modified, initial[0], 1L, 100L), (changes[3].Kind, changes[3].Uuid, changes[3].Old!.SeqNum, changes[3].New!.SeqNum));
        Assert.Equal((TableChangeKind.Modified, initial[1], "idle"), (changes[4].Kind, changes[4].Uuid, changes[4].New!.EventInfo["reason"]));
        Assert.Equal("tcp", changes[4].New!.EventInfo["protocol"]);
        Assert.Equal((TableChangeKind.Deleted, initial[0]), (changes[5].Kind, changes[5].Uuid));
        Assert.Equal(new[] { initial[1], inserted }.Order(), monitor.Rows.Keys.Order());
        Assert.Empty(recorder.Anomalies);
    }

    [Fact]
    public async Task Conditional_monitor_sees_rows_enter_and_leave_its_condition()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        var rows = await fixture.Tables.InsertEventsAsync([5, 2000]);
        var recorder = new BatchRecorder<ControllerEventRow>();
        // A monitor's conditions are alternatives (ovsdb-server ORs them, unlike a transact where), and
        // empty_lb_backends is the only event_type this schema allows, so the test selects on seq_num.
        var request = ControllerEventRow.EmptyLbBackendsMonitor() with { Where = [new OvsdbCondition("seq_num", ">=", 1000)] };
        await using var client = fixture.CreateClient();
        var monitor = client.Monitor(OvnTables.Southbound, request, recorder.Handler);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();

        await fixture.Tables.UpdateAsync(OvnTables.ControllerEvent, rows[0], """{"seq_num":1500}""");
        await fixture.Tables.UpdateAsync(OvnTables.ControllerEvent, rows[1], """{"seq_num":7}""");
        await recorder.WaitForAsync(changes => changes.Count == 3, "three changes");

        var changes = recorder.Changes;
        Assert.Equal((TableChangeKind.Inserted, rows[1]), (changes[0].Kind, changes[0].Uuid));
        Assert.Equal((TableChangeKind.Inserted, rows[0], 1500L), (changes[1].Kind, changes[1].Uuid, changes[1].New!.SeqNum));
        Assert.Equal((TableChangeKind.Deleted, rows[1]), (changes[2].Kind, changes[2].Uuid));
        Assert.Equal([rows[0]], monitor.Rows.Keys);
    }

    [Fact]
    public async Task Typed_monitor_reads_every_controller_event_column()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        await fixture.Tables.ClearAsync(OvnTables.Chassis);
        await fixture.Tables.ClearAsync("Encap");
        var recorder = new BatchRecorder<ControllerEventRow>();
        await using var client = fixture.CreateClient();
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();
        var loadBalancer = Guid.NewGuid();

        var (chassis, row) = await InsertChassisWithEventAsync(client, "hv1", loadBalancer, seqNum: 42);
        await recorder.WaitForAsync(changes => changes.Count == 1, "the insert");

        var seen = recorder.Changes[0].New!;
        Assert.Equal(new ControllerEventRow(row, chassis, "empty_lb_backends", seen.EventInfo, 42), seen);
        Assert.Equal(
            new Dictionary<string, string> { ["vip"] = "[2001::10]:50051", ["protocol"] = "tcp", ["load_balancer"] = loadBalancer.ToString() },
            seen.EventInfo.ToDictionary());
    }

    [Fact]
    public async Task Row_whose_chassis_is_deleted_loses_only_its_chassis_without_retained_json()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        await fixture.Tables.ClearAsync(OvnTables.Chassis);
        await fixture.Tables.ClearAsync("Encap");
        var recorder = new BatchRecorder<ControllerEventRow>();
        await using var client = fixture.CreateClient();
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();
        var (chassis, row) = await InsertChassisWithEventAsync(client, "hv2", Guid.NewGuid(), seqNum: 9);
        await recorder.WaitForAsync(changes => changes.Count == 1, "the insert");

        // docs/ovn-facts.md, "Orphaned rows": a deleted Chassis leaves its events with an empty weak reference;
        // ovsdb-server sends the new value ["set", []] for this at-most-one column.
        await client.TransactAsync(OvnTables.Southbound, [OvsdbOperation.Delete(OvnTables.Chassis, OvsdbCondition.Uuid(chassis))], Ct).Within();
        await recorder.WaitForAsync(changes => changes.Count == 2, "the modify");

        var modified = recorder.Changes[1];
        Assert.Equal(TableChangeKind.Modified, modified.Kind);
        Assert.Null(modified.Error);
        Assert.Equal(chassis, modified.Old!.Chassis);
        Assert.Null(modified.New!.Chassis);
        Assert.Equal(9, modified.New.SeqNum);
        Assert.Equal(modified.Old.EventInfo.ToDictionary(), modified.New.EventInfo.ToDictionary());
        Assert.True(monitor.TryGetRow(row, out var cached));
        Assert.Null(cached.Chassis);
    }

    [Fact]
    public async Task Set_and_map_diffs_keep_a_retained_cache_equal_to_the_server()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        await fixture.Tables.ClearAsync(OvnTables.Chassis);
        await fixture.Tables.ClearAsync("Encap");
        string[] columns = ["name", "encaps", "other_config", "nb_cfg", "transport_zones"];
        var request = new TableMonitorRequest<JsonRow>(OvnTables.Chassis, columns, [], (_, row) => new JsonRow(row.Clone()));
        await using var client = fixture.CreateClient();
        var monitor = client.Monitor(OvnTables.Southbound, request, (_, _) => ValueTask.CompletedTask);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();
        var encap = new JsonObject { ["type"] = "geneve", ["ip"] = "192.0.2.1", ["chassis_name"] = "hv3" };
        var inserted = await client.TransactAsync(OvnTables.Southbound,
        [
            OvsdbOperation.Insert("Encap", encap, "e1"),
            OvsdbOperation.Insert(OvnTables.Chassis, new JsonObject
            {
                ["name"] = "hv3", ["hostname"] = "hv3", ["encaps"] = OvsdbWire.NamedUuid("e1"),
                ["other_config"] = OvsdbWire.Map([new("a", "1"), new("b", "2")]),
            }),
        ], Ct).Within();
        var chassis = inserted[1].Uuid!.Value;
        var where = new[] { OvsdbCondition.Uuid(chassis) };

        string[] steps =
        [
            // encaps: one element (sent as a bare uuid) gains a second; the diff is again a bare uuid.
            """[{"op":"insert","table":"Encap","row":{"type":"vxlan","ip":"192.0.2.2","chassis_name":"hv3"},"uuid-name":"e2"},{"op":"mutate","table":"Chassis","where":WHERE,"mutations":[["encaps","insert",["set",[["named-uuid","e2"]]]]]}]""",
            // other_config: a changed, b removed, c added in one diff.
            """[{"op":"update","table":"Chassis","where":WHERE,"row":{"other_config":["map",[["a","9"],["c","3"]]],"nb_cfg":4}}]""",
            // transport_zones (a set of strings): from empty to two, then back to one.
            """[{"op":"update","table":"Chassis","where":WHERE,"row":{"transport_zones":["set",["tz1","tz2"]]}}]""",
            """[{"op":"mutate","table":"Chassis","where":WHERE,"mutations":[["transport_zones","delete",["set",["tz1"]]]]}]""",
            // encaps: back to one element, then the last map key removed.
            """[{"op":"mutate","table":"Chassis","where":WHERE,"mutations":[["encaps","delete",["set",[["uuid","ENCAP"]]]]]}]""",
            """[{"op":"update","table":"Chassis","where":WHERE,"row":{"other_config":["map",[]],"nb_cfg":0}}]""",
        ];
        foreach (var step in steps)
        {
            var firstEncap = inserted[0].Uuid!.Value;
            var operations = step.Replace("WHERE", ServerTables.WhereUuid(chassis), StringComparison.Ordinal)
                .Replace("ENCAP", firstEncap.ToString(), StringComparison.Ordinal);
            await fixture.Tables.TransactAsync(operations[1..^1]);
            var server = (await fixture.Tables.SelectAsync(OvnTables.Chassis))[chassis];
            await Eventually.TrueAsync(
                () => monitor.TryGetRow(chassis, out var cached) && SameColumns(cached.Json, server, columns), $"the cache to follow {step}");
        }

        Assert.Empty(monitor.RowErrors);
    }

    [Fact]
    public async Task Cancelled_monitor_is_told_nothing_more()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        var cancelledRecorder = new BatchRecorder<ControllerEventRow>();
        var liveRecorder = new BatchRecorder<ControllerEventRow>();
        await using var client = fixture.CreateClient();
        var cancelled = client.Monitor(OvnTables.Southbound, ControllerEventRow.AllMonitor(), cancelledRecorder.Handler);
        var live = client.Monitor(OvnTables.Southbound, ControllerEventRow.AllMonitor(), liveRecorder.Handler);
        await client.StartAsync(Ct);
        await Task.WhenAll(cancelled.WaitForInitialAsync(Ct), live.WaitForInitialAsync(Ct)).Within();

        await client.CancelMonitorAsync(cancelled, Ct).Within();
        var row = (await fixture.Tables.InsertEventsAsync([11]))[0];
        await liveRecorder.WaitForAsync(changes => changes.Any(change => change.Uuid == row), "the live monitor to see the insert");

        Assert.True(cancelled.IsCancelled);
        Assert.DoesNotContain(cancelledRecorder.Changes, change => change.Uuid == row);
        Assert.Empty(cancelled.Rows);
    }

    [Fact]
    public async Task Batch_whose_handler_failed_is_delivered_again_after_the_reconnect()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        var recorder = new BatchRecorder<ControllerEventRow>();
        var failures = 0;
        await using var client = fixture.CreateClient();
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.AllMonitor(), (batch, token) =>
        {
            if (!batch.IsResync && Interlocked.Increment(ref failures) == 1)
            {
                throw new InvalidOperationException("the consumer failed once");
            }

            return recorder.Handler(batch, token);
        });
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();

        var row = (await fixture.Tables.InsertEventsAsync([12]))[0];
        await recorder.WaitForAsync(changes => changes.Any(change => change.Uuid == row), "the insert, after the failure");

        Assert.Equal(TableChangeKind.Inserted, recorder.Changes.Single(change => change.Uuid == row).Kind);
        Assert.Empty(recorder.Anomalies);
        Assert.Equal([row], monitor.Rows.Keys);
    }

    private static bool SameColumns(JsonElement cached, JsonElement server, IEnumerable<string> columns)
    {
        var serverColumns = new JsonObject();
        foreach (var column in columns)
        {
            serverColumns[column] = JsonNode.Parse(server.GetProperty(column).GetRawText());
        }

        using var document = JsonDocument.Parse(serverColumns.ToJsonString());
        return OvsdbWire.RowEquals(cached, document.RootElement);
    }

    private static async Task<(Guid Chassis, Guid Row)> InsertChassisWithEventAsync(OvsdbClient client, string name, Guid loadBalancer, long seqNum)
    {
        var results = await client.TransactAsync(OvnTables.Southbound,
        [
            OvsdbOperation.Insert("Encap", new JsonObject { ["type"] = "geneve", ["ip"] = "192.0.2.9", ["chassis_name"] = name }, "encap"),
            OvsdbOperation.Insert(OvnTables.Chassis, new JsonObject { ["name"] = name, ["hostname"] = name, ["encaps"] = OvsdbWire.NamedUuid("encap") }, "chassis"),
            OvsdbOperation.Insert(OvnTables.ControllerEvent, new JsonObject
            {
                ["event_type"] = ControllerEventRow.EmptyLbBackends,
                ["chassis"] = OvsdbWire.NamedUuid("chassis"),
                ["seq_num"] = seqNum,
                ["event_info"] = OvsdbWire.Map([new("vip", "[2001::10]:50051"), new("protocol", "tcp"), new("load_balancer", loadBalancer.ToString())]),
            }),
        ], Ct).Within();
        return (results[1].Uuid!.Value, results[2].Uuid!.Value);
    }

    public sealed record JsonRow(JsonElement Json);
}
