using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Tests.Harness;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Tests.Transactions;

[Collection(SouthboundCollection.Name)]
public sealed class TransactionTests(SouthboundFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_databases_and_reads_the_southbound_schema()
    {
        await using var client = await Clients.StartAsync(fixture.Server.UnixRemote);

        var databases = await client.ListDatabasesAsync(Ct).Within();
        var schema = await client.GetSchemaAsync(OvnTables.Southbound, Ct).Within();

        Assert.Contains(OvnTables.Southbound, databases);
        Assert.Contains("_Server", databases);
        Assert.Equal(OvnTables.Southbound, schema.GetProperty("name").GetString());
        Assert.Equal("20.27.0", schema.GetProperty("version").GetString());
        Assert.True(schema.GetProperty("tables").GetProperty("Controller_Event").GetProperty("columns").TryGetProperty("event_info", out _));
    }

    [Fact]
    public async Task Inserts_selects_updates_mutates_and_deletes_a_row()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        await using var client = await Clients.StartAsync(fixture.Server.TcpRemote);
        var uuid = (await client.TransactAsync(OvnTables.Southbound, [Insert(seqNum: 1)], Ct).Within())[0].Uuid!.Value;

        var updated = await client.TransactAsync(OvnTables.Southbound,
            [OvsdbOperation.Update(OvnTables.ControllerEvent, [OvsdbCondition.Uuid(uuid)], new JsonObject { ["seq_num"] = 10 })], Ct).Within();
        var mutated = await client.TransactAsync(OvnTables.Southbound,
        [
            OvsdbOperation.Mutate(OvnTables.ControllerEvent, [OvsdbCondition.Uuid(uuid)],
            [
                new OvsdbMutation("seq_num", "+=", 5),
                // RFC 7047 section 5.1: "insert" into a map adds only keys not already there.
                new OvsdbMutation("event_info", "insert", OvsdbWire.Map([new("protocol", "udp"), new("load_balancer", "lb-1")])),
            ]),
        ], Ct).Within();
        var selected = await client.TransactAsync(OvnTables.Southbound, [OvsdbOperation.Select(OvnTables.ControllerEvent, [OvsdbCondition.Uuid(uuid)])], Ct).Within();
        var row = ControllerEventRow.Map(uuid, selected[0].Rows!.Value[0]);
        var deleted = await client.TransactAsync(OvnTables.Southbound, [OvsdbOperation.Delete(OvnTables.ControllerEvent, OvsdbCondition.Uuid(uuid))], Ct).Within();

        Assert.Equal(1, updated[0].Count);
        Assert.Equal(1, mutated[0].Count);
        Assert.Equal(15, row.SeqNum);
        Assert.Equal("tcp", row.EventInfo["protocol"]);
        Assert.Equal("lb-1", row.EventInfo["load_balancer"]);
        Assert.Equal("10.0.0.1:80", row.EventInfo["vip"]);
        Assert.Equal(1, deleted[0].Count);
        Assert.Empty(await fixture.Tables.SelectAsync(OvnTables.ControllerEvent));
    }

    [Fact]
    public async Task Deletes_several_rows_by_uuid_in_one_transaction()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        var uuids = await fixture.Tables.InsertEventsAsync([1, 2, 3, 4, 5]);
        await using var client = await Clients.StartAsync(fixture.Server.UnixRemote);

        var results = await client.TransactAsync(
            OvnTables.Southbound, [.. uuids.Take(3).Select(uuid => OvsdbOperation.Delete(OvnTables.ControllerEvent, OvsdbCondition.Uuid(uuid)))], Ct).Within();
        var again = await client.TransactAsync(OvnTables.Southbound, [OvsdbOperation.Delete(OvnTables.ControllerEvent, OvsdbCondition.Uuid(uuids[0]))], Ct).Within();

        Assert.Equal([1L, 1L, 1L], results.Select(result => result.Count!.Value));
        Assert.Equal(0, again[0].Count);
        Assert.Equal(uuids.Skip(3).Order(), (await fixture.Tables.SelectAsync(OvnTables.ControllerEvent)).Keys.Order());
    }

    [Fact]
    public async Task Wait_passes_when_rows_match_and_fails_with_timed_out_when_they_do_not()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        var uuid = (await fixture.Tables.InsertEventsAsync([7]))[0];
        await using var client = await Clients.StartAsync(fixture.Server.UnixRemote);

        var passed = await client.TransactAsync(OvnTables.Southbound,
            [OvsdbOperation.Wait(OvnTables.ControllerEvent, [OvsdbCondition.Uuid(uuid)], ["seq_num"], [new JsonObject { ["seq_num"] = 7 }], timeoutMilliseconds: 0)], Ct).Within();
        var failed = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(OvnTables.Southbound,
            [OvsdbOperation.Wait(OvnTables.ControllerEvent, [OvsdbCondition.Uuid(uuid)], ["seq_num"], [new JsonObject { ["seq_num"] = 8 }], timeoutMilliseconds: 0)], Ct).Within());

        Assert.Single(passed);
        Assert.Equal("timed out", failed.Error);
        Assert.Equal(0, failed.OperationIndex);
        Assert.Contains("wait on Controller_Event", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constraint_violation_names_the_rejected_value()
    {
        await using var client = await Clients.StartAsync(fixture.Server.UnixRemote);

        var error = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(OvnTables.Southbound,
            [OvsdbOperation.Insert(OvnTables.ControllerEvent, new JsonObject { ["event_type"] = "bogus" })], Ct).Within());

        Assert.Equal("constraint violation", error.Error);
        Assert.Contains("bogus", error.Details, StringComparison.Ordinal);
        Assert.Contains("insert into Controller_Event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_table_is_a_syntax_error_naming_the_table()
    {
        await using var client = await Clients.StartAsync(fixture.Server.UnixRemote);

        var error = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(OvnTables.Southbound,
            [OvsdbOperation.Insert("No_Such_Table", [])], Ct).Within());

        Assert.Equal("syntax error", error.Error);
        Assert.Contains("No table named No_Such_Table", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Referential_integrity_violation_is_a_commit_failure_after_the_last_operation()
    {
        await using var client = await Clients.StartAsync(fixture.Server.UnixRemote);

        // Chassis.encaps must hold at least one Encap row (ovn-sb(5)).
        var error = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(OvnTables.Southbound,
            [OvsdbOperation.Insert(OvnTables.Chassis, new JsonObject { ["name"] = "lonely", ["hostname"] = "lonely" })], Ct).Within());

        Assert.Equal("referential integrity violation", error.Error);
        Assert.Equal(1, error.OperationIndex);
        Assert.Null(error.Operation);
        Assert.Contains("commit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_database_is_an_error_reply()
    {
        await using var client = await Clients.StartAsync(fixture.Server.UnixRemote);

        var error = await Assert.ThrowsAsync<OvsdbErrorException>(() => client.TransactAsync("No_Such_Database",
            [OvsdbOperation.Select(OvnTables.ControllerEvent, [])], Ct).Within());

        Assert.Equal("unknown database", error.Error);
        Assert.Contains("No_Such_Database", error.Details, StringComparison.Ordinal);
    }

    private static OvsdbOperation Insert(long seqNum) => OvsdbOperation.Insert(OvnTables.ControllerEvent, new JsonObject
    {
        ["event_type"] = ControllerEventRow.EmptyLbBackends,
        ["seq_num"] = seqNum,
        ["event_info"] = OvsdbWire.Map([new("vip", "10.0.0.1:80"), new("protocol", "tcp")]),
    });
}
