using OvnUnidler.Operator.Recording;
using OvnUnidler.Operator.Tests.Harness;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Operator.Tests.Recording;

/// <summary>Event streams recorded from the real lab (Fixtures/), replayed through the whole pipeline.</summary>
public sealed class RecordedFixtureTests
{
    [Theory]
    [InlineData("single-wake.jsonl", 1, 1, 0, 1)]
    [InlineData("burst-several-chassis.jsonl", 6, 1, 1, 3)]
    [InlineData("ovn-controller-restart.jsonl", 3, 1, 1, 2)]
    public async Task A_recorded_stream_wakes_each_service_once_and_leaves_no_row(
        string fixture, int rows, int webScaleWrites, int apiScaleWrites, int chassis)
    {
        var recorded = await RecordedEvent.ReadFileAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture), TestContext.Current.CancellationToken);
        Assert.Equal(rows, recorded.Count);
        Assert.Equal(chassis, recorded.Select(row => row.Chassis).Distinct().Count());
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        await environment.Workloads.CreateAsync("shop", "api", "10.96.0.11", 8080, replicas: 1);
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();
        await using var southbound = new OvsdbClient(new OvsdbClientOptions { Remote = environment.SouthboundServer.UnixRemote });
        await southbound.StartAsync(TestContext.Current.CancellationToken);

        var replayed = await new EventReplayer(southbound, TimeProvider.System).ReplayAsync(recorded, recordedPace: false, TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "every replayed row deleted");
        Assert.Equal(rows, replayed.Count);
        Assert.Equal(webScaleWrites, environment.DeploymentScaleWrites("shop", "web"));
        Assert.Equal(apiScaleWrites, environment.DeploymentScaleWrites("shop", "api"));
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(apiScaleWrites == 1 ? 1 : 0, await environment.Workloads.ReplicasAsync("shop", "api"));
        Assert.Equal(rows, (int)unidler.Metrics.RowsDeletedCount);
        Assert.Equal(replayed.ToHashSet(), unidler.Reports.All.SelectMany(report => report.Events).Select(@event => @event.RowUuid).ToHashSet());
    }
}
