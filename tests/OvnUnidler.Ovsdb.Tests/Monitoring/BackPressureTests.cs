using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Tests.Harness;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Ovsdb.Tests.Monitoring;

[Collection(SouthboundCollection.Name)]
public sealed class BackPressureTests(SouthboundFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stalled_handler_does_not_stop_transactions_on_the_same_connection_and_loses_nothing()
    {
        await fixture.Tables.ClearAsync(OvnTables.ControllerEvent);
        using var release = new SemaphoreSlim(0);
        var recorder = new BatchRecorder<ControllerEventRow>();
        await using var client = fixture.CreateClient();
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), async (batch, token) =>
        {
            if (!batch.IsResync && recorder.Batches.Count == 1)
            {
                // The consumer stalls, as a full channel downstream would make it.
                await release.WaitAsync(token);
            }

            await recorder.Handler(batch, token);
        });
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();

        // One transaction per row: well over the 1,024 notifications the connection queues before it stops reading.
        const int Rows = JsonRpcConnection.NotificationBacklog + 500;
        await using (var writer = await Clients.StartAsync(fixture.Server.UnixRemote))
        {
            for (var seq = 0; seq < Rows; seq++)
            {
                await writer.TransactAsync(OvnTables.Southbound, [OvsdbOperation.Insert(OvnTables.ControllerEvent, new JsonObject
                {
                    ["event_type"] = ControllerEventRow.EmptyLbBackends, ["seq_num"] = seq,
                })], Ct).Within();
            }
        }

        var selected = await client.TransactAsync(OvnTables.Southbound, [OvsdbOperation.Select(OvnTables.ControllerEvent, [], ["seq_num"])], Ct).Within();
        release.Release();
        await Eventually.TrueAsync(() => monitor.Count == Rows, "the stalled monitor to catch up");

        Assert.Equal(Rows, selected[0].Rows!.Value.GetArrayLength());
        Assert.Equal(Rows, recorder.View.Count);
        Assert.Empty(recorder.Anomalies);
    }
}
