using System.Diagnostics;
using OvnUnidler.Operator.Recording;
using OvnUnidler.Operator.Tests.Harness;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Operator.Tests.Recording;

public sealed class RecordReplayTests
{
    [Fact]
    public async Task Records_rows_with_their_timing_and_replays_them_with_distinct_chassis_at_the_recorded_pace()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var cancellation = TestContext.Current.CancellationToken;
        var nodeA = await environment.Southbound.AddChassisAsync("node-a");
        var nodeB = await environment.Southbound.AddChassisAsync("node-b");
        await environment.Southbound.InsertEventAsync("10.96.0.9:80", chassis: nodeA, seqNum: 1);
        await using var client = new OvsdbClient(new OvsdbClientOptions { Remote = environment.SouthboundServer.UnixRemote });
        using var output = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var recording = new EventRecorder(client, TimeProvider.System).RecordAsync(output, includeExisting: true, stop.Token);
        await Eventually.TrueAsync(() => output.ToString().Contains("10.96.0.9:80", StringComparison.Ordinal), "the existing row recorded");

        await environment.Southbound.InsertEventAsync("10.96.0.10:80", chassis: nodeA, seqNum: 2);
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellation); // the recorded gap the replay must reproduce
        await environment.Southbound.InsertEventAsync("10.96.0.10:80", chassis: nodeB, seqNum: 1);
        await Eventually.TrueAsync(() => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 3, "three rows recorded");
        await stop.CancelAsync();
        Assert.Equal(3, await recording.WaitAsync(TimeSpan.FromSeconds(10), cancellation));

        var recorded = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((line, index) => RecordedEvent.Parse(line, index + 1)).ToList();
        Assert.Equal(0, recorded[0].OffsetMilliseconds);
        Assert.True(recorded[2].OffsetMilliseconds - recorded[1].OffsetMilliseconds >= 250, $"gap {recorded[2].OffsetMilliseconds - recorded[1].OffsetMilliseconds} ms");
        Assert.Equal([nodeA, nodeA, nodeB], recorded.Select(row => row.Chassis!.Value));

        var target = await environment.StartZoneSouthboundAsync("sb-replay");
        await using var targetClient = new OvsdbClient(new OvsdbClientOptions { Remote = target.UnixRemote });
        await targetClient.StartAsync(cancellation);
        var watch = Stopwatch.StartNew();
        var replayed = await new EventReplayer(targetClient, TimeProvider.System).ReplayAsync(recorded, recordedPace: true, cancellation);
        watch.Stop();

        Assert.Equal(3, replayed.Distinct().Count());
        Assert.True(watch.Elapsed.TotalMilliseconds >= recorded[2].OffsetMilliseconds - 20, $"replay took {watch.Elapsed}");
        var rows = await new SouthboundRows(target).EventRowsAsync();
        Assert.Equal(3, rows.Count);
        Assert.Equal(2, rows.Select(row => row.Chassis).Distinct().Count());
        Assert.All(rows, row => Assert.NotNull(row.Chassis));
        Assert.Equal(["10.96.0.10:80", "10.96.0.10:80", "10.96.0.9:80"], rows.Select(row => row.EventInfo["vip"]).Order());
    }

    [Fact]
    public async Task A_replay_into_the_same_database_reuses_the_chassis_it_created()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var cancellation = TestContext.Current.CancellationToken;
        var ghost = Guid.NewGuid();
        RecordedEvent[] recorded = [new(0, Guid.NewGuid(), ghost, 1, "empty_lb_backends", new Dictionary<string, string> { ["vip"] = "10.0.0.1:80", ["protocol"] = "tcp" })];
        await using var client = new OvsdbClient(new OvsdbClientOptions { Remote = environment.SouthboundServer.UnixRemote });
        await client.StartAsync(cancellation);
        var replayer = new EventReplayer(client, TimeProvider.System);

        await replayer.ReplayAsync(recorded, recordedPace: false, cancellation);
        await replayer.ReplayAsync(recorded, recordedPace: false, cancellation);

        var rows = await environment.Southbound.EventRowsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Single(rows.Select(row => row.Chassis).Distinct());
        Assert.NotNull(rows[0].Chassis);
    }

    [Fact]
    public void A_line_that_is_not_a_recorded_event_names_its_line_number()
    {
        var failure = Assert.Throws<FormatException>(() => RecordedEvent.Parse("{\"offset_ms\": \"soon\"}", 7));

        Assert.Contains("line 7", failure.Message, StringComparison.Ordinal);
    }
}
