using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Tests.Harness;

namespace OvnUnidler.Ovsdb.Tests.Monitoring;

/// <summary>A monitor that streams its initial rows (the operator's Controller_Event monitor) against a scripted server.</summary>
public sealed class StreamedInitialRowsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rows_of_a_large_reply_reach_the_handler_before_the_reply_ends()
    {
        var rows = Rows(3000);
        var recorder = new BatchRecorder<ControllerEventRow>();
        var handedOverMidway = false;
        await using var server = FakeOvsdbServer.Start(async session =>
        {
            await session.AnswerUntilMonitoredAsync(Json(rows), null, null, midway: async () =>
            {
                await Eventually.TrueAsync(() => recorder.Batches.Count > 0, "a batch while the reply is still being sent");
                handedOverMidway = true;
                return true;
            });
            await session.IdleAsync();
        });
        await using var client = Clients.Create(server.Remote);
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);

        await monitor.WaitForInitialAsync(Ct).Within();

        Assert.True(handedOverMidway);
        Assert.All(recorder.Batches, batch => Assert.Equal(1, batch.Reply));
        Assert.False(recorder.Batches[0].IsResync);
        Assert.True(recorder.Batches[^1].IsResync);
        Assert.Equal(rows.Select(row => row.Uuid).Order(), recorder.Changes.Select(change => change.Uuid).Order());
        Assert.All(recorder.Changes, change => Assert.Equal(TableChangeKind.Inserted, change.Kind));
        Assert.Equal(rows.Select(row => row.Uuid).Order(), monitor.Rows.Keys.Order());
        Assert.Empty(recorder.Anomalies);
    }

    [Fact]
    public async Task A_reply_cut_off_after_rows_were_handed_over_is_resynchronised_without_duplicates_or_stale_rows()
    {
        var first = Rows(3000);
        var second = first.Skip(500).Concat(Rows(200)).ToList();
        var recorder = new BatchRecorder<ControllerEventRow>();
        await using var server = FakeOvsdbServer.Start(
            async session => await session.AnswerUntilMonitoredAsync(Json(first), null, null, midway: async () =>
            {
                await Eventually.TrueAsync(() => recorder.Batches.Count > 0, "a batch before the connection drops");
                return false;
            }),
            async session =>
            {
                await session.AnswerUntilMonitoredAsync(Json(second));
                await session.IdleAsync();
            });
        await using var client = Clients.Create(server.Remote);
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);

        await monitor.WaitForInitialAsync(Ct).Within();

        Assert.Equal(2, server.Connections);
        Assert.Equal([1, 2], recorder.Batches.Select(batch => batch.Reply ?? 0).Distinct());
        Assert.Empty(recorder.Anomalies);
        Assert.Equal(second.Select(row => row.Uuid).Order(), recorder.View.Order());
        Assert.Equal(second.Select(row => row.Uuid).Order(), monitor.Rows.Keys.Order());
        Assert.Contains(recorder.Changes, change => change.Kind == TableChangeKind.Deleted && change.Uuid == first[0].Uuid);
    }

    private static List<(Guid Uuid, long Seq)> Rows(int count) =>
        [.. Enumerable.Range(1, count).Select(seq => (Guid.NewGuid(), (long)seq))];

    private static string Json(IEnumerable<(Guid Uuid, long Seq)> rows) =>
        string.Join(',', rows.Select(row => FakeSession.Row(row.Uuid, FakeSession.Event(row.Seq))));
}
