using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// Issue 16's connection holding, judged with real clients: the operator process in its operator
/// pod with Unidler:HoldConnections=true, so that while a wake is under way the VIP's backends
/// point at the holder on the pod's own address, which keeps the client's retransmitted SYN and
/// relays it to the Service's pod once that is ready. They pass only once the holder and its
/// operator integration are in place.
/// </summary>
[Collection(RealTrafficCollection.Name)]
public sealed class ConnectionHoldingTests(RealTrafficFixture fixture)
{
    private const long BulkBytes = 20_000_000;
    private static readonly TimeSpan ClientTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    // "A holder endpoint must not outlive its holder by more than a few seconds"; more here for a loaded machine.
    private static readonly TimeSpan HolderGone = TimeSpan.FromSeconds(20);
    private static readonly Dictionary<string, string> Holding = new(StringComparer.Ordinal) { ["Unidler:HoldConnections"] = "true" };

    [Fact]
    public async Task A_client_with_a_5_s_connect_timeout_is_served_by_a_pod_that_takes_8_s_when_the_operator_holds_its_connection()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var held = (await scenario.CreateIdledServiceAsync("held", 80, startDelay: TimeSpan.FromSeconds(8)))[0];
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: Holding);
        var client = await scenario.ClientAsync("node1");

        var exchange = await CurlClient.RequestAsync(client, held.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);

        Assert.True(exchange.Succeeded, $"without holding, the 5 s connect timeout passes before the 8 s pod is ready: {exchange.Trace}");
        Assert.StartsWith("held-", exchange.Body.Trim(), StringComparison.Ordinal);
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.True(exchange.ConnectedAt < readiness.ReadyAt, $"the holder took the connection before the pod was ready ({readiness}): {exchange.Trace}");
        await Eventually.TrueAsync(
            async () => (await scenario.BackendsAsync(held)).StartsWith($"{readiness.Ipv4}:", StringComparison.Ordinal),
            "the VIP handed from the holder to the pod", RealTrafficScenario.Patience);
        Assert.DoesNotContain(unidler.Pod.PodIp.ToString(), await scenario.BackendsAsync(held), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => await scenario.RowsAsync(held) == 0, "the row acknowledged", RealTrafficScenario.Patience);
    }

    [Fact]
    public async Task An_operator_killed_while_it_holds_leaves_the_vip_without_backends_raising_events_and_the_next_syn_raises_a_new_event()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        // Not ready while the test runs: only the holder could have given the VIP a backend.
        var held = (await scenario.CreateIdledServiceAsync("crash", 80, startDelay: TimeSpan.FromSeconds(50)))[0];
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: Holding);
        var client = await scenario.ClientAsync("node1");
        var nextClient = await scenario.ClientAsync("node1");
        var holder = $"{unidler.Pod.PodIp}:";

        using var first = CurlClient.Start(client, held.Url, ClientTime);
        await Eventually.TrueAsync(async () => (await scenario.BackendsAsync(held)).StartsWith(holder, StringComparison.Ordinal),
            $"the VIP pointed at the holder ({holder}...) during the wake", HolderGone);
        await scenario.KillAndRestartOperatorPodAsync(unidler);

        await Eventually.TrueAsync(async () => await scenario.BackendsAsync(held) == "" && await scenario.RaisesEventsAsync(held),
            "the VIP back to no backends with events on after its holder died", HolderGone);
        await Eventually.TrueAsync(async () => await scenario.RowsAsync(held) == 0, "no row standing for the VIP, so a packet can raise a new one", RealTrafficScenario.Patience);
        await using var events = await TableWatch.StartAsync(
            fixture.Lab.Zones[0].SouthboundRemote, "OVN_Southbound", "Controller_Event", "event_info", TestContext.Current.CancellationToken);
        using var next = CurlClient.Start(nextClient, held.Url, ClientTime, ConnectTimeout);

        var address = held.Vip.Split(':')[0];
        await Eventually.TrueAsync(
            () => events.Lines.Any(line => line.Contains("insert", StringComparison.Ordinal) && line.Contains(address, StringComparison.Ordinal)),
            $"a new Controller_Event for {held.Vip} from the next SYN", HolderGone);
    }

    [Fact]
    public async Task A_bulk_download_held_during_a_wake_is_relayed_whole_and_measured_beside_a_direct_one()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var bulk = (await scenario.CreateIdledServiceAsync("bulk", 80, startDelay: TimeSpan.FromSeconds(3)))[0];
        await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: Holding);
        var client = await scenario.ClientAsync("node1");
        var url = new Uri(bulk.Url, $"bytes/{BulkBytes}");

        var started = DateTime.UtcNow;
        var relayed = await CurlClient.DownloadAsync(client, url, ClientTime, TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);

        Assert.True(relayed.Succeeded, relayed.ToString());
        Assert.Equal(BulkBytes, relayed.Bytes);
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.True(started + TimeSpan.FromSeconds(relayed.ConnectSeconds) < readiness.ReadyAt, $"connected to the holder before the pod was ready ({readiness}): {relayed}");
        await Eventually.TrueAsync(
            async () => (await scenario.BackendsAsync(bulk)).StartsWith($"{readiness.Ipv4}:", StringComparison.Ordinal),
            "the VIP handed from the holder to the pod", RealTrafficScenario.Patience);

        var direct = await CurlClient.DownloadAsync(client, url, ClientTime, TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);

        Assert.True(direct.Succeeded, direct.ToString());
        Assert.Equal(BulkBytes, direct.Bytes);
        TestContext.Current.TestOutputHelper?.WriteLine($"relayed by the holder: {relayed}");
        TestContext.Current.TestOutputHelper?.WriteLine($"direct to the pod:     {direct}");
    }
}
