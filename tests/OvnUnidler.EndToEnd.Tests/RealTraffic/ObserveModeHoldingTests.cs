using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Services;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// Issue 16's holding in mode observe, judged with real clients: the operator in its operator pod
/// with Unidler:Backends=Observe writes no backends; while it holds it publishes an EndpointSlice
/// naming its holder, and the lab services controller, standing in for ovn-kubernetes' (which
/// cannot run here), turns the Service's slices into the VIP's backends in the Northbound. What
/// the stand-in does and does not reproduce is in its own documentation and docs/ovn-facts.md.
/// </summary>
[Collection(RealTrafficCollection.Name)]
public sealed partial class ObserveModeHoldingTests(RealTrafficFixture fixture)
{
    private static readonly TimeSpan ClientTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HoldRenewal = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HoldStaleAfter = TimeSpan.FromSeconds(6);

    // A sweep runs every HoldRenewal; the rest is room for a loaded machine.
    private static readonly TimeSpan StaleMargin = HoldRenewal + TimeSpan.FromSeconds(5);

    // "A holder endpoint must not outlive its holder by more than a few seconds"; more here for a loaded machine.
    private static readonly TimeSpan HolderGone = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, string> ObserveHolding = new(StringComparer.Ordinal)
    {
        ["Unidler:Backends"] = "Observe",
        ["Unidler:HoldConnections"] = "true",
        ["Unidler:HoldRenewal"] = HoldRenewal.ToString("c", CultureInfo.InvariantCulture),
        ["Unidler:HoldStaleAfter"] = HoldStaleAfter.ToString("c", CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task In_mode_observe_a_client_with_a_5_s_connect_timeout_is_held_through_the_holder_slice_and_served_by_a_pod_that_takes_8_s()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var held = (await scenario.CreateIdledServiceAsync("held", 80, startDelay: TimeSpan.FromSeconds(8)))[0];
        var services = await scenario.StartServicesControllerAsync();
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: ObserveHolding);
        var client = await scenario.ClientAsync("node1");
        var holder = $"{unidler.Pod.PodIp}:";

        var exchange = await CurlClient.RequestAsync(client, held.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);

        Assert.True(exchange.Succeeded, $"without holding, the 5 s connect timeout passes before the 8 s pod is ready: {exchange.Trace}");
        Assert.StartsWith("held-", exchange.Body.Trim(), StringComparison.Ordinal);
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.True(exchange.ConnectedAt < readiness.ReadyAt, $"the holder took the connection before the pod was ready ({readiness}): {exchange.Trace}");
        // The operator wrote no backend: the stand-in did, from the holder's slice, before the pod was ready.
        Assert.Contains(services.Writes, write => write.At < readiness.ReadyAt
            && write.State.Vips.TryGetValue(held.Vip, out var backends) && backends.StartsWith(holder, StringComparison.Ordinal));
        var pod = $"{readiness.Ipv4}:{PodPrograms.HttpPort}";
        await Eventually.TrueAsync(async () => await scenario.BackendsAsync(held) == pod, $"the VIP pointing at the pod ({pod}) only", RealTrafficScenario.Patience);
        await Eventually.TrueAsync(async () => (await scenario.HolderSlicesAsync()).Count == 0, "the holder's EndpointSlice removed", RealTrafficScenario.Patience);
        await Eventually.TrueAsync(async () => await scenario.RowsAsync(held) == 0, "the row acknowledged", RealTrafficScenario.Patience);
        Assert.Equal(pod, await scenario.BackendsAsync(held));
        Assert.Null(services.LastError);
        WriteHistory(services, held.Vip);
    }

    [Fact]
    public async Task In_mode_observe_the_holder_listens_on_the_target_port_so_its_slice_stays_while_the_pod_is_in_its_slice_not_ready_and_a_later_client_is_held_too()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var held = (await scenario.CreateIdledServiceAsync("late", 80, startDelay: TimeSpan.FromSeconds(8)))[0];
        var services = await scenario.StartServicesControllerAsync();
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: ObserveHolding);
        var vips = await scenario.WatchVipsAsync(1);
        var first = await scenario.ClientAsync("node1");
        var later = await scenario.ClientAsync("node1");
        var holder = unidler.Pod.PodIp.ToString();
        using var firstRequest = CurlClient.Start(first, held.Url, ClientTime, ConnectTimeout);

        // As in a cluster, the pod is in its slice, not ready, long before it answers.
        var notReady = await Eventually.ValueAsync(() => NotReadyPodAddressAsync(scenario, "late"), address => address is not null,
            "the starting pod in its Service's slice, not ready", RealTrafficScenario.Patience);
        var notReadyAt = DateTime.UtcNow;
        var port = PodPrograms.HttpPort;
        // Not-ready endpoints are not eligible: the VIP keeps the holder alone, on the number both slices declare.
        await Eventually.TrueAsync(async () => (await scenario.HolderSlicesAsync()).Count == 1 && await scenario.BackendsAsync(held) == $"{holder}:{port}",
            "the VIP at the holder only, its slice kept, while the pod is in its slice not ready", RealTrafficScenario.Patience);
        var stillStarting = scenario.ReadyPods("late").Count == 0;
        var exchange = await CurlClient.RequestAsync(later, held.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);
        var firstExit = await firstRequest.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);

        var readiness = Assert.Single(scenario.ReadyPods("late"));
        await Eventually.TrueAsync(async () => await scenario.BackendsAsync(held) == $"{readiness.Ipv4}:{port}", "the VIP at the pod only", RealTrafficScenario.Patience);
        await Eventually.TrueAsync(async () => (await scenario.HolderSlicesAsync()).Count == 0, "the holder's EndpointSlice removed", RealTrafficScenario.Patience);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"pod {notReady} seen in its slice, not ready, {(readiness.ReadyAt - notReadyAt).TotalSeconds:0.00} s before it was ready");
        WriteHistory(services, held.Vip);
        Assert.True(notReadyAt < readiness.ReadyAt, $"the pod's not-ready endpoint was seen before it was ready ({readiness})");
        Assert.True(stillStarting, "the pod was still starting when the VIP was seen at the holder beside its not-ready endpoint");
        Assert.Contains($"main/Tcp on {port}", unidler.Log, StringComparison.Ordinal);
        Assert.True(exchange.Succeeded, $"the client that came while the pod was in its slice, not ready (5 s connect timeout, 8 s pod): {exchange.Trace}");
        Assert.StartsWith("late-", exchange.Body.Trim(), StringComparison.Ordinal);
        Assert.True(exchange.ConnectedAt < readiness.ReadyAt, $"the holder took the later connection before the pod was ready ({readiness}): {exchange.Trace}");
        Assert.Equal(0, firstExit);
        var pairs = BackendsSeen(vips, [holder, readiness.Ipv4]);
        Assert.Contains((holder, port), pairs);
        Assert.Contains((readiness.Ipv4, port), pairs);
        Assert.All(pairs, pair => Assert.Equal(port, pair.Port));
        Assert.Null(services.LastError);
    }

    [Fact]
    public async Task In_mode_observe_a_target_port_equal_to_the_operators_http_port_falls_back_to_the_range_and_the_hold_ends_once_the_pod_is_in_its_slice()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        // The pods serve on 8080, the operator's own Http:Port: the holder cannot listen there.
        var held = (await scenario.CreateIdledServiceAsync("clash", 80, startDelay: TimeSpan.FromSeconds(15), httpPort: LabOperator.HttpPort))[0];
        var services = await scenario.StartServicesControllerAsync();
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: ObserveHolding);
        var vips = await scenario.WatchVipsAsync(1);
        var first = await scenario.ClientAsync("node1");
        var later = await scenario.ClientAsync("node1");
        var patient = await scenario.ClientAsync("node1");
        var holder = unidler.Pod.PodIp.ToString();
        using var firstRequest = CurlClient.Start(first, held.Url, ClientTime, ConnectTimeout);

        await Eventually.ValueAsync(() => NotReadyPodAddressAsync(scenario, "clash"), address => address is not null,
            "the starting pod in its Service's slice, not ready", RealTrafficScenario.Patience);
        // ovn-kubernetes would take one number for "main" from both slices: the operator withdraws its own.
        await Eventually.TrueAsync(async () => (await scenario.HolderSlicesAsync()).Count == 0 && await scenario.BackendsAsync(held) == "",
            "the holder's slice withdrawn and the VIP without backends while the pod is not ready", RealTrafficScenario.Patience);
        var exchange = await CurlClient.RequestAsync(later, held.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);
        var podReadyBeforeGivingUp = scenario.ReadyPods("clash").Count > 0;
        var served = await CurlClient.RequestAsync(patient, held.Url, ClientTime, TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);
        await firstRequest.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);

        var readiness = Assert.Single(scenario.ReadyPods("clash"));
        WriteHistory(services, held.Vip);
        TestContext.Current.TestOutputHelper?.WriteLine($"the patient client: {served.Trace}");
        var listener = HolderListenerPort().Match(unidler.Log);
        Assert.True(listener.Success, unidler.Log);
        Assert.InRange(int.Parse(listener.Groups[1].Value, CultureInfo.InvariantCulture), 32100, 32299);
        Assert.False(podReadyBeforeGivingUp, "the pod was ready before the later client gave up");
        Assert.False(exchange.Succeeded, $"without the holder the later client's 5 s connect timeout passes before the 15 s pod is ready: {exchange.Trace}");
        Assert.True(served.Succeeded, $"a client without a short connect timeout is served at a SYN retransmit: {served.Trace}");
        Assert.True(served.ConnectedAt > readiness.ReadyAt, $"the patient client connected only once the pod was ready ({readiness}): {served.Trace}");
        // The pod is only ever named with its own port (it is eligible only once ready, when the holder's
        // slice is long gone). The holder may have been named with the pods' 8080, the operator's own
        // HTTP port, for the write between the pod entering its slice and the withdrawal: one number per
        // port name (docs/ovn-facts.md); a connection landing there would reach the operator's HTTP endpoint.
        var pairs = BackendsSeen(vips, [holder, readiness.Ipv4]);
        TestContext.Current.TestOutputHelper?.WriteLine($"backends seen: {string.Join(", ", pairs.Select(pair => $"{pair.Address}:{pair.Port}"))}");
        Assert.Contains(pairs, pair => pair.Address == holder && pair.Port >= 32100 && pair.Port <= 32299);
        Assert.All(pairs.Where(pair => pair.Address == readiness.Ipv4), pair => Assert.Equal(LabOperator.HttpPort, pair.Port));
        Assert.Null(services.LastError);
    }

    [Fact]
    public async Task In_mode_observe_the_slice_of_an_operator_killed_mid_hold_is_removed_by_another_instance_within_hold_stale_after_and_the_vip_raises_events_again()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        // Slow enough that the pod is still starting when the stale slice is gone.
        var held = (await scenario.CreateIdledServiceAsync("stale", 80, startDelay: TimeSpan.FromSeconds(25)))[0];
        var services = await scenario.StartServicesControllerAsync();
        var (first, slice) = await HoldThenKillAsync(scenario, held);
        // Holding off: this instance takes up the wake (its row stands until the pods serve) without
        // holding, so what the VIP shows is the stale slice and its removal alone.
        var second = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: new Dictionary<string, string>(ObserveHolding) { ["Unidler:HoldConnections"] = "false" });

        var removedAfter = await StaleSliceRemovedAsync(scenario, slice);
        await Eventually.TrueAsync(async () => await scenario.BackendsAsync(held) == "" && await scenario.RaisesEventsAsync(held),
            "the VIP back to no backends with events on", RealTrafficScenario.Patience);
        var podReadyYet = fixture.Cluster.Kubelet.Ready.Values.Any(pod => pod.Namespace == scenario.Namespace);

        WriteHistory(services, held.Vip);
        TestContext.Current.TestOutputHelper?.WriteLine($"stale slice removed {removedAfter.TotalSeconds:0.00} s after the other instance was ready");
        Assert.False(podReadyYet, "the pod was ready before the VIP was seen without backends");
        // The slice is deleted before its log line is written.
        await Eventually.TrueAsync(() => second.Log.Contains("[3108]", StringComparison.Ordinal), "the other instance logging the stale slice's removal", RealTrafficScenario.Patience);
        Assert.NotEqual(first.Pod.PodIp, second.Pod.PodIp);
        Assert.Null(services.LastError);
    }

    [Fact]
    public async Task In_mode_observe_a_replacement_instance_holds_again_on_its_own_address_drops_the_dead_holders_slice_and_serves_the_next_client()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var held = (await scenario.CreateIdledServiceAsync("again", 80, startDelay: TimeSpan.FromSeconds(12)))[0];
        var services = await scenario.StartServicesControllerAsync();
        var (first, slice) = await HoldThenKillAsync(scenario, held);
        var nextClient = await scenario.ClientAsync("node1");
        // As a DaemonSet's replacement pod: same zone and node, same configuration, another address.
        var second = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: ObserveHolding);

        var removedAfter = await StaleSliceRemovedAsync(scenario, slice);
        var firstHolder = $"{first.Pod.PodIp}:";
        var backends = await Eventually.ValueAsync(() => scenario.BackendsAsync(held), current => !current.Contains(firstHolder, StringComparison.Ordinal),
            $"the dead holder ({firstHolder}...) gone from the VIP", RealTrafficScenario.Patience);
        var next = await CurlClient.RequestAsync(nextClient, held.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);

        TestContext.Current.TestOutputHelper?.WriteLine($"stale slice removed {removedAfter.TotalSeconds:0.00} s after the replacement was ready");
        // The row stood (rows wait for the pods' backends), so the replacement took up the wake and held on its own address.
        Assert.Contains("[3105]", second.Log, StringComparison.Ordinal);
        Assert.NotEqual("", backends);
        Assert.True(next.Succeeded, $"the next client: {next.Trace}");
        Assert.StartsWith("again-", next.Body.Trim(), StringComparison.Ordinal);
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        var pod = $"{readiness.Ipv4}:{PodPrograms.HttpPort}";
        await Eventually.TrueAsync(async () => await scenario.BackendsAsync(held) == pod, $"the VIP pointing at the pod ({pod}) only", RealTrafficScenario.Patience);
        await Eventually.TrueAsync(async () => (await scenario.HolderSlicesAsync()).Count == 0, "every holder slice removed", RealTrafficScenario.Patience);
        Assert.Null(services.LastError);
        WriteHistory(services, held.Vip);
    }

    /// <summary>
    /// The first operator in its pod holds a client's connection through its slice, then dies by
    /// SIGKILL with no restart: nothing withdraws the slice, its renewals stop. Returns the dead
    /// instance and its slice's name, once the held client's curl has ended.
    /// </summary>
    private static async Task<(LabOperator First, string Slice)> HoldThenKillAsync(RealTrafficScenario scenario, LabService held)
    {
        var first = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: ObserveHolding);
        var client = await scenario.ClientAsync("node1");
        var holder = $"{first.Pod.PodIp}:";
        using var request = CurlClient.Start(client, held.Url, ClientTime, ConnectTimeout);
        await Eventually.TrueAsync(async () => (await scenario.BackendsAsync(held)).StartsWith(holder, StringComparison.Ordinal),
            $"the VIP pointed at the holder ({holder}...) through its slice", HolderGone);
        await Eventually.TrueAsync(async () => await RealTrafficScenario.MetricAsync(first, "ovn_unidler_held_connections_total{protocol=\"tcp\"}") >= 1,
            "the client's connection held", HolderGone);
        var slice = Assert.Single(await scenario.HolderSlicesAsync());

        first.Kill();
        await first.Process.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long);
        var exit = await request.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);
        Assert.NotEqual(0, exit);
        return (first, slice);
    }

    /// <summary>Waits until <paramref name="slice"/> is gone, at most HoldStaleAfter and a margin; returns how long after now that was.</summary>
    private static async Task<TimeSpan> StaleSliceRemovedAsync(RealTrafficScenario scenario, string slice)
    {
        var since = DateTime.UtcNow;
        await Eventually.TrueAsync(async () => !(await scenario.HolderSlicesAsync()).Contains(slice),
            $"the stale holder slice {slice} removed within Unidler:HoldStaleAfter ({HoldStaleAfter}) and a margin", HoldStaleAfter + StaleMargin);
        return DateTime.UtcNow - since;
    }

    /// <summary>The address of a pod listed not ready in the Service's own (endpointslice-controller) slices, if any.</summary>
    private static async Task<string?> NotReadyPodAddressAsync(RealTrafficScenario scenario, string service)
    {
        var slices = await scenario.Client.DiscoveryV1.ListNamespacedEndpointSliceAsync(scenario.Namespace,
            labelSelector: $"kubernetes.io/service-name={service},endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io",
            cancellationToken: TestContext.Current.CancellationToken);
        return slices.Items.SelectMany(slice => slice.Endpoints ?? []).Where(endpoint => endpoint.Conditions?.Ready == false)
            .SelectMany(endpoint => endpoint.Addresses).FirstOrDefault();
    }

    /// <summary>Every (address, port) backend of <paramref name="addresses"/> that the Northbound's VIPs ever held while <paramref name="vips"/> watched.</summary>
    private static HashSet<(string Address, int Port)> BackendsSeen(TableWatch vips, IReadOnlyCollection<string> addresses) =>
        [.. vips.Lines.SelectMany(line => Backend().Matches(line))
            .Select(match => (Address: match.Groups[1].Value, Port: int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)))
            .Where(pair => addresses.Contains(pair.Address))];

    [GeneratedRegex(@"(\d{1,3}(?:\.\d{1,3}){3}):(\d+)")]
    private static partial Regex Backend();

    [GeneratedRegex(@"main/Tcp on (\d+)")]
    private static partial Regex HolderListenerPort();

    /// <summary>Every state the stand-in gave the VIP, for the reader of the test's output.</summary>
    private static void WriteHistory(LabServicesController services, string vip)
    {
        foreach (var write in services.Writes.Where(write => write.State.Vips.ContainsKey(vip)))
        {
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{write.At:HH:mm:ss.fff} {vip} -> \"{write.State.Vips[vip]}\" event={write.State.Event} reject={write.State.Reject}");
        }
    }
}
