using System.Collections.Concurrent;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Tests.Harness;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Ovsdb.Tests.Protocol;

/// <summary>
/// Protocol faults from a fake peer: each must end in a clear reason naming what was wrong, a reset
/// connection, a resumed monitor that lost no row, and never an exception escaping into the process.
/// </summary>
public sealed class BadInputTests
{
    private static readonly Guid RowA = Guid.Parse("0a0a0a0a-0000-4000-8000-00000000000a");
    private static readonly Guid RowB = Guid.Parse("0b0b0b0b-0000-4000-8000-00000000000b");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string BothRows => FakeSession.Row(RowA, FakeSession.Event(1)) + "," + FakeSession.Row(RowB, FakeSession.Event(2));

    [Theory]
    [InlineData("""{"id":null,"method":"update2","params":["MONITOR",{"Controller_Event":{"ROW_B":{"insert":{"seq_num":2,}}}}]}""", "malformed JSON-RPC message")]
    [InlineData("HTTP/1.1 400 Bad Request\r\n\r\n", "byte 0x48 ('H')")]
    [InlineData("""{"id":null,"method":"update2","params":["MONITOR",{"Controller_Event":{"ROW_B":{"insert":5}}}]}""", "insert of Controller_Event row 0b0b0b0b-0000-4000-8000-00000000000b must be an object")]
    [InlineData("""{"id":null,"method":"update2","params":["MONITOR",{"Controller_Event":{"not-a-uuid":{"insert":{}}}}]}""", "row uuid 'not-a-uuid' in Controller_Event is not a uuid")]
    [InlineData("""{"id":null,"method":"update2","params":["MONITOR",{"Controller_Event":{"ROW_B":{"upsert":{}}}}]}""", "unknown member 'upsert'")]
    [InlineData("""{"id":null,"method":"update2","params":[7,{}]}""", "update2 monitor id must be a string")]
    [InlineData("""{"id":null,"method":"update2","params":{"Controller_Event":{}}}""", "params is not an array")]
    [InlineData("""{"id":99}""", "response 99 has neither result nor error")]
    [InlineData("""{"id":null,"method":"update2","params":["MONITOR",{"Controller_Event":{"ROW_B":{"insert":""", "in the middle of a message")]
    public async Task Protocol_fault_resets_the_connection_with_a_reason_and_the_monitor_resumes_without_loss(string fault, string reason)
    {
        await using var server = FakeOvsdbServer.Start(
            async session =>
            {
                await session.AnswerUntilMonitoredAsync(FakeSession.Row(RowA, FakeSession.Event(1)));
                await session.SendAsync(fault.Replace("MONITOR", session.MonitorId, StringComparison.Ordinal).Replace("ROW_B", RowB.ToString(), StringComparison.Ordinal));
                if (reason == "in the middle of a message")
                {
                    return;
                }

                await session.IdleAsync();
            },
            async session =>
            {
                await session.AnswerUntilMonitoredAsync(BothRows);
                await session.IdleAsync();
            });
        var (client, monitor, recorder, states) = await StartMonitoringAsync(server);
        await using (client)
        {
            await Eventually.TrueAsync(() => monitor.Count == 2 && server.Connections == 2, "the resumed monitor to hold both rows");

            var disconnected = states.First(state => state.Status == OvsdbConnectionStatus.Disconnected);
            Assert.Contains(reason, disconnected.Reason, StringComparison.Ordinal);
            Assert.Equal([RowA, RowB], monitor.Rows.Keys.Order());
            Assert.Empty(recorder.Anomalies);
            Assert.Empty(server.ScriptErrors);
        }
    }

    [Fact]
    public async Task Error_reply_to_the_monitor_request_is_reported_and_the_monitor_is_retried()
    {
        await using var server = FakeOvsdbServer.Start(
            async session =>
            {
                await session.AnswerUntilMonitoredAsync("", (id, _) =>
                    $$$"""{"id":{{{id}}},"result":null,"error":{"error":"unknown table","details":"no Controller_Event here"}}""");
                await session.IdleAsync();
            },
            async session =>
            {
                await session.AnswerUntilMonitoredAsync(BothRows);
                await session.IdleAsync();
            });
        var (client, monitor, _, states) = await StartMonitoringAsync(server);
        await using (client)
        {
            await Eventually.TrueAsync(() => monitor.Count == 2, "the retried monitor to hold both rows");

            Assert.Contains(states, state => state.Reason == "monitor_cond_since: unknown table: no Controller_Event here");
        }
    }

    [Fact]
    public async Task Wrong_typed_row_is_reported_as_that_rows_error_naming_the_column_and_the_connection_stays()
    {
        var wrong = """{"event_type":"empty_lb_backends","seq_num":"seven","event_info":["map",[]]}""";
        await using var server = FakeOvsdbServer.Start(async session =>
        {
            await session.AnswerUntilMonitoredAsync(FakeSession.Row(RowA, FakeSession.Event(1)) + "," + FakeSession.Row(RowB, wrong));
            await session.IdleAsync();
        });
        var (client, monitor, recorder, _) = await StartMonitoringAsync(server);
        await using (client)
        {
            await monitor.WaitForInitialAsync(Ct).Within();

            var rejected = recorder.Changes.Single(change => change.Uuid == RowB);
            Assert.Equal(TableChangeKind.Inserted, rejected.Kind);
            Assert.Null(rejected.New);
            Assert.Equal("column seq_num: expected an integer, got \"seven\"", rejected.Error!.Message);
            Assert.Equal(2, monitor.Count);
            Assert.Equal([RowA], monitor.Rows.Keys);
            Assert.True(client.IsConnected);
            Assert.Equal(1, server.Connections);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Large_monitor_reply_arriving_in_small_pieces_is_read_whole(bool resultBeforeId)
    {
        var rows = Enumerable.Range(1, 2000).Select(seq => (Uuid: Guid.NewGuid(), Seq: (long)seq)).ToList();
        var rowsJson = string.Join(',', rows.Select(row => FakeSession.Row(row.Uuid, FakeSession.Event(row.Seq))));
        await using var server = FakeOvsdbServer.Start(async session =>
        {
            // ovsdb-server writes the id first, which lets the client stream the rows; otherwise it reads the reply whole.
            await session.AnswerUntilMonitoredAsync(rowsJson, (id, json) => resultBeforeId
                ? $$$"""{"error":null,"result":[false,"{{{FakeSession.ZeroTransactionId}}}",{{{FakeSession.TableUpdates(json)}}}],"id":{{{id}}}}"""
                : $$$"""{"id":{{{id}}},"result":[false,"{{{FakeSession.ZeroTransactionId}}}",{{{FakeSession.TableUpdates(json)}}}],"error":null}""",
                pieceSize: 1000);
            await session.IdleAsync();
        });
        var (client, monitor, recorder, _) = await StartMonitoringAsync(server);
        await using (client)
        {
            await monitor.WaitForInitialAsync(Ct).Within();

            Assert.True(rowsJson.Length > 200_000);
            Assert.Equal(rows.Select(row => row.Uuid).Order(), monitor.Rows.Keys.Order());
            Assert.All(rows, row => Assert.Equal(row.Seq, monitor.Rows[row.Uuid].SeqNum));
            Assert.Equal(rows.Select(row => row.Uuid).Order(), recorder.Changes.Select(change => change.Uuid).Order());
            Assert.Empty(recorder.Anomalies);
        }
    }

    [Fact]
    public async Task Error_replies_to_transactions_are_typed_exceptions()
    {
        await using var server = FakeOvsdbServer.Start(async session =>
        {
            await session.AnswerUntilMonitoredAsync("");
            var first = await session.ReadRequestAsync();
            await session.SendAsync($$"""{"id":{{first.GetProperty("id").GetInt64()}},"result":null,"error":"not today"}""");
            var second = await session.ReadRequestAsync();
            await session.SendAsync(
                $$"""{"id":{{second.GetProperty("id").GetInt64()}},"result":[{"count":1},{"error":"constraint violation","details":"seq_num too big"}],"error":null}""");
            await session.IdleAsync();
        });
        var (client, monitor, _, _) = await StartMonitoringAsync(server);
        await using (client)
        {
            await monitor.WaitForInitialAsync(Ct).Within();
            OvsdbOperation[] operations =
            [
                OvsdbOperation.Delete(OvnTables.ControllerEvent, OvsdbCondition.Uuid(RowA)),
                OvsdbOperation.Update(OvnTables.ControllerEvent, [OvsdbCondition.Uuid(RowB)], new() { ["seq_num"] = 1 }),
            ];

            var refused = await Assert.ThrowsAsync<OvsdbErrorException>(() => client.TransactAsync(OvnTables.Southbound, operations, Ct).Within());
            var failed = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(OvnTables.Southbound, operations, Ct).Within());

            Assert.Equal("transact: not today", refused.Message);
            Assert.Equal((1, "constraint violation", "seq_num too big"), (failed.OperationIndex, failed.Error, failed.Details));
            Assert.Contains("update on Controller_Event", failed.Message, StringComparison.Ordinal);
            Assert.True(client.IsConnected);
        }
    }

    [Fact]
    public async Task Server_echo_is_answered_and_a_notification_for_an_unknown_monitor_is_ignored()
    {
        string? echoReply = null;
        await using var server = FakeOvsdbServer.Start(async session =>
        {
            await session.AnswerUntilMonitoredAsync(FakeSession.Row(RowA, FakeSession.Event(1)));
            await session.SendAsync("""{"id":null,"method":"update2","params":["someone-else",{"Controller_Event":{}}]}""");
            await session.SendAsync("""{"id":"echo","method":"echo","params":["ping",{"n":1}]}""");
            var reply = await session.ReadRequestAsync();
            echoReply = reply.GetRawText();
            await session.SendAsync($$$"""{"id":null,"method":"update2","params":["{{{session.MonitorId}}}",{{{FakeSession.TableUpdates(FakeSession.Row(RowB, FakeSession.Event(2), "insert"))}}}]}""");
            await session.IdleAsync();
        });
        var (client, monitor, _, _) = await StartMonitoringAsync(server);
        await using (client)
        {
            await Eventually.TrueAsync(() => monitor.Count == 2, "the insert after the echo");

            Assert.Equal("""{"result":["ping",{"n":1}],"error":null,"id":"echo"}""", echoReply);
            Assert.Equal(1, server.Connections);
        }
    }

    [Fact]
    public async Task Silent_server_is_given_up_after_an_unanswered_echo_and_the_client_reconnects()
    {
        await using var server = FakeOvsdbServer.Start(
            async session =>
            {
                await session.AnswerUntilMonitoredAsync(FakeSession.Row(RowA, FakeSession.Event(1)));
                session.AnswersEcho = false;
                await session.IdleAsync();
            },
            async session =>
            {
                await session.AnswerUntilMonitoredAsync(BothRows);
                await session.IdleAsync();
            });
        var recorder = new BatchRecorder<ControllerEventRow>();
        var states = new ConcurrentQueue<OvsdbConnectionState>();
        await using var client = Clients.Create(server.Remote, options => options.InactivityProbe = TimeSpan.FromMilliseconds(200));
        client.StateChanged += states.Enqueue;
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);

        await Eventually.TrueAsync(() => monitor.Count == 2, "the client to give up the silent server and resume on the next connection");

        Assert.Contains(states, state => state.Reason?.Contains("did not answer an echo", StringComparison.Ordinal) == true);
        Assert.Empty(recorder.Anomalies);
    }

    private static async Task<(OvsdbClient Client, TableMonitor<ControllerEventRow> Monitor, BatchRecorder<ControllerEventRow> Recorder, ConcurrentQueue<OvsdbConnectionState> States)>
        StartMonitoringAsync(FakeOvsdbServer server)
    {
        var recorder = new BatchRecorder<ControllerEventRow>();
        var states = new ConcurrentQueue<OvsdbConnectionState>();
        var client = Clients.Create(server.Remote);
        client.StateChanged += states.Enqueue;
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);
        return (client, monitor, recorder, states);
    }
}
