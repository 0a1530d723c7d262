using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Pipeline;

public sealed class DeploymentModePipelineTests
{
    private static readonly Dictionary<string, string?> Central = new()
    {
        ["Unidler:Mode"] = "Central",
        ["LeaderElection:LeaseName"] = "ovn-unidler-test",
    };

    [Fact]
    public async Task In_central_mode_only_the_leader_acts_and_a_standby_takes_over_when_it_stops()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        await environment.Workloads.CreateAsync("shop", "api", "10.96.0.11", 8080, replicas: 2);
        var first = await environment.StartOperatorAsync(Central);
        var second = await environment.StartOperatorAsync(Central);
        await Eventually.TrueAsync(() => first.Metrics.IsLeading || second.Metrics.IsLeading, "one replica to lead");
        var (leader, standby) = first.Metrics.IsLeading ? (first, second) : (second, first);
        await leader.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.10:80");

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted");
        Assert.False(standby.Metrics.IsLeading);
        Assert.Single(leader.Reports.All);
        Assert.Empty(standby.Reports.All);
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));

        await leader.StopAsync();
        await Eventually.TrueAsync(() => standby.Metrics.IsLeading, "the standby to take the lease", TimeSpan.FromSeconds(30));
        await environment.Southbound.InsertEventAsync("10.96.0.11:8080");

        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "api") == 2, "api woken by the new leader");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the second row deleted");
        Assert.Single(standby.Reports.All);
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "api"));
    }

    [Fact]
    public async Task Three_zones_seeing_the_same_service_at_once_scale_it_exactly_once_and_each_deletes_its_own_rows()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 4);
        var zones = new[] { environment.SouthboundServer, await environment.StartZoneSouthboundAsync("sb-zone2"), await environment.StartZoneSouthboundAsync("sb-zone3") };
        var operators = new List<RunningOperator>();
        foreach (var zone in zones)
        {
            operators.Add(await environment.StartOperatorAsync(southbound: zone));
        }

        foreach (var instance in operators)
        {
            await instance.WaitUntilReadyAsync();
        }

        var rows = zones.Select(zone => new SouthboundRows(zone)).ToArray();
        await Task.WhenAll(rows.Select(zone => zone.InsertEventsAsync([EventRow.For("10.96.0.10:80"), EventRow.For("10.96.0.10:80", seqNum: 2)])));

        foreach (var zone in rows)
        {
            await Eventually.TrueAsync(async () => await zone.CountEventRowsAsync() == 0, "every zone's rows deleted");
        }

        Assert.Equal(4, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
        Assert.Equal(3, operators.Sum(instance => instance.Reports.All.Count));
        Assert.All(operators, instance => Assert.Equal(2, instance.Metrics.RowsDeletedCount));
        var annotations = await environment.Workloads.AnnotationsAsync("shop", "web");
        Assert.DoesNotContain(IdledWorkloads.UnidleTargets, annotations.Keys);
    }
}
