namespace OvnUnidler.EndToEnd.Tests.Scenarios;

/// <summary>
/// Real packets into a real OVN stack wake idled Services in a cluster under test. Subclasses say
/// which cluster: the API double (every machine) or k3s (where a Docker engine runs).
/// </summary>
public abstract class WakeScenarios
{
    private const string IdledAt = "idling.alpha.openshift.io/idled-at";
    private const string UnidleTargets = "idling.alpha.openshift.io/unidle-targets";

    /// <summary>The cluster for one test; disposed with the scenario when the subclass owns it.</summary>
    protected abstract Task<(IClusterUnderTest Cluster, IAsyncDisposable? Owned)> ClusterAsync();

    [Fact]
    public async Task A_packet_wakes_the_service_and_after_idling_again_the_next_packet_wakes_it_again()
    {
        await using var scenario = await StartAsync();
        var web = await scenario.CreateIdledAppAsync("web", 80, replicas: 2);
        await scenario.StartOperatorAsync();

        await scenario.SendAsync(web);

        await scenario.WaitUntilAsync(async () => await scenario.ReplicasAsync(web) == 2, "web woken to 2 replicas");
        await scenario.WaitUntilAsync(async () => (await scenario.EventRowsAsync()).Count == 0, "the row deleted");
        Assert.Equal(2, (await scenario.BackendsAsync(web)).Split(',').Length);
        var annotations = await scenario.AnnotationsAsync(web);
        Assert.DoesNotContain(IdledAt, annotations.Keys);
        Assert.DoesNotContain(UnidleTargets, annotations.Keys);
        Assert.Equal(1, await scenario.NeedPodsEventsAsync(web));
        Assert.Equal(1, scenario.ScaleWrites(web));

        // An unacknowledged row would block every later event for this VIP from this chassis (docs/ovn-facts.md).
        await scenario.IdleAgainAsync(web);
        Assert.Equal(0, await scenario.ReplicasAsync(web));
        await scenario.SendAsync(web);

        await scenario.WaitUntilAsync(async () => await scenario.ReplicasAsync(web) == 2, "web woken a second time");
        await scenario.WaitUntilAsync(async () => (await scenario.EventRowsAsync()).Count == 0, "the second row deleted");
        Assert.Equal(2, scenario.ScaleWrites(web));
        scenario.AssertTheOperatorWasNeverRefused();
    }

    [Fact]
    public async Task Two_chassis_sending_to_one_vip_make_one_wake_and_both_rows_are_deleted()
    {
        await using var scenario = await StartAsync();
        var web = await scenario.CreateIdledAppAsync("web", 80, replicas: 3);
        await scenario.StartOperatorAsync();

        await Task.WhenAll(scenario.SendAsync(web, chassis: 0), scenario.SendAsync(web, chassis: 1));

        await scenario.WaitUntilAsync(async () => await scenario.ReplicasAsync(web) == 3, "web woken");
        await scenario.WaitUntilAsync(async () => (await scenario.EventRowsAsync()).Count == 0, "both rows deleted");
        Assert.Equal(1, scenario.ScaleWrites(web));
        scenario.AssertTheOperatorWasNeverRefused();
    }

    [Fact]
    public async Task Rows_from_before_and_after_an_ovn_controller_restart_are_all_handled()
    {
        await using var scenario = await StartAsync();
        var web = await scenario.CreateIdledAppAsync("web", 80, replicas: 1);
        var api = await scenario.CreateIdledAppAsync("api", 8080, replicas: 1);
        await scenario.SendAsync(web, chassis: 0);
        await scenario.WaitUntilAsync(async () => (await scenario.EventRowsAsync()).Count == 1, "the first row");

        await scenario.Lab.Chassis[0].RestartControllerAsync(TestContext.Current.CancellationToken);
        await scenario.SendAsync(api, chassis: 0);
        var rows = await WaitForRowsAsync(scenario, 2);
        // seq_num starts again at 1 in the new ovn-controller process: both rows carry 1.
        Assert.All(rows, row => Assert.Equal(1, row.SeqNum));

        await scenario.StartOperatorAsync();

        await scenario.WaitUntilAsync(async () => (await scenario.EventRowsAsync()).Count == 0, "both rows deleted");
        Assert.Equal(1, await scenario.ReplicasAsync(web));
        Assert.Equal(1, await scenario.ReplicasAsync(api));
        Assert.Equal(1, scenario.ScaleWrites(web));
        Assert.Equal(1, scenario.ScaleWrites(api));
        scenario.AssertTheOperatorWasNeverRefused();
    }

    [Fact]
    public async Task A_southbound_restart_during_a_wake_loses_nothing_and_scales_once()
    {
        await using var scenario = await StartAsync();
        var web = await scenario.CreateIdledAppAsync("web", 80, replicas: 2);
        await scenario.StartOperatorAsync();

        await scenario.SendAsync(web);
        await scenario.WaitUntilAsync(async () => await scenario.ReplicasAsync(web) == 2, "the scale-up issued");
        await scenario.Lab.Southbound.RestartAsync(TestContext.Current.CancellationToken);

        await scenario.WaitUntilAsync(async () => (await scenario.EventRowsAsync()).Count == 0, "the row deleted after the restart");
        Assert.Equal(1, scenario.ScaleWrites(web));
        Assert.Equal(2, (await scenario.BackendsAsync(web)).Split(',').Length);
        scenario.AssertTheOperatorWasNeverRefused();
    }

    [Fact]
    public async Task Backends_written_on_a_plain_ovn_load_balancer_carry_the_next_packet()
    {
        await using var scenario = await StartAsync();
        var web = await scenario.CreateIdledAppAsync("web", 80, replicas: 2, withOwner: false);
        await scenario.StartOperatorAsync();

        await scenario.SendAsync(web);
        await scenario.WaitUntilAsync(async () => (await scenario.EventRowsAsync()).Count == 0 && (await scenario.BackendsAsync(web)).Length > 0,
            "backends written and the row deleted");
        await scenario.Lab.WaitForHypervisorSyncAsync(TestContext.Current.CancellationToken);

        await scenario.SendAsync(web);
        // A second chassis' packet proves that rows still appear when a VIP lacks backends (a canary),
        // so the absence below is not an injection failure: the load balancer carried the packet.
        var canary = await scenario.CreateIdledAppAsync("canary", 9090, replicas: 1, withOwner: false);
        await scenario.SendAsync(canary);
        var rows = await WaitForRowsAsync(scenario, 1);
        Assert.Equal(canary.Vip, Assert.Single(rows).Vip);
        Assert.Equal(1, scenario.ScaleWrites(web));
        scenario.AssertTheOperatorWasNeverRefused();
    }

    private async Task<ScenarioEnvironment> StartAsync()
    {
        var (cluster, owned) = await ClusterAsync();
        if (cluster.WhyUnavailable is { } why)
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }

            Assert.Skip(why);
        }

        return await ScenarioEnvironment.StartAsync(cluster, owned);
    }

    private static async Task<IReadOnlyList<Lab.Ovn.LabControllerEvent>> WaitForRowsAsync(ScenarioEnvironment scenario, int count)
    {
        IReadOnlyList<Lab.Ovn.LabControllerEvent> rows = [];
        await scenario.WaitUntilAsync(async () => (rows = await scenario.EventRowsAsync()).Count >= count, $"{count} Controller_Event row(s)");
        return rows;
    }
}
