using System.Net;
using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble.Faults;
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

    [Fact]
    public async Task A_client_with_a_5_s_connect_timeout_is_served_by_a_pod_that_takes_8_s_when_the_operator_holds_its_connection()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var held = (await scenario.CreateIdledServiceAsync("held", 80, startDelay: TimeSpan.FromSeconds(8)))[0];
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: RealTrafficScenario.Holding);
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
    public async Task An_operator_killed_while_it_holds_and_restarted_in_its_pod_holds_again_and_serves_the_next_client()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        // Slow enough that the restarted process starts while the pod is still coming up.
        var held = (await scenario.CreateIdledServiceAsync("crash", 80, startDelay: TimeSpan.FromSeconds(20)))[0];
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: RealTrafficScenario.Holding);
        var client = await scenario.ClientAsync("node1");
        var nextClient = await scenario.ClientAsync("node1");
        var holder = $"{unidler.Pod.PodIp}:";

        using var first = CurlClient.Start(client, held.Url, ClientTime, ConnectTimeout);
        await Eventually.TrueAsync(async () => (await scenario.BackendsAsync(held)).StartsWith(holder, StringComparison.Ordinal),
            $"the VIP pointed at the holder ({holder}...) during the wake", HolderGone);
        // The VIP names the holder before the client's SYN retransmit reaches it; killing in between
        // would leave the first client to the restarted process, which then serves it.
        await Eventually.TrueAsync(async () => await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_held_connections_total{protocol=\"tcp\"}") >= 1,
            "the holder holding the first client's connection", HolderGone);
        // SIGKILL: the held connection dies with the process; as the kubelet does, a new process starts in the same pod.
        var restarted = await scenario.KillAndRestartOperatorPodAsync(unidler);
        var firstExit = await first.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);

        // The restarted process finds the wake still under way (row, idle record) and holds again on the same address.
        await Eventually.TrueAsync(() => restarted.Log.Contains("[8100]", StringComparison.Ordinal), "the restarted operator holding the Service again", HolderGone);
        var next = await CurlClient.RequestAsync(nextClient, held.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);

        Assert.NotEqual(0, firstExit);
        Assert.True(next.Succeeded, $"the next client, held by the restarted operator: {next.Trace}");
        Assert.StartsWith("crash-", next.Body.Trim(), StringComparison.Ordinal);
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.True(next.ConnectedAt < readiness.ReadyAt, $"the restarted holder took the connection before the pod was ready ({readiness}): {next.Trace}");
        await Eventually.TrueAsync(
            async () => (await scenario.BackendsAsync(held)).StartsWith($"{readiness.Ipv4}:", StringComparison.Ordinal),
            "the VIP handed from the holder to the pod", RealTrafficScenario.Patience);
    }

    [Fact]
    public async Task A_bulk_download_held_during_a_wake_is_relayed_whole_and_measured_beside_a_direct_one()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var bulk = (await scenario.CreateIdledServiceAsync("bulk", 80, startDelay: TimeSpan.FromSeconds(3)))[0];
        await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: RealTrafficScenario.Holding);
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

    [Fact]
    public async Task A_service_whose_pods_a_network_policy_selects_is_not_held_and_a_client_with_a_5_s_connect_timeout_fails_as_without_holding()
    {
        // The lab enforces no NetworkPolicy: what this judges is the operator's decision. A relayed
        // connection would reach the pods from the operator's address, so a policy on them would
        // judge the operator instead of the client; such a Service wakes without holding.
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var guarded = (await scenario.CreateIdledServiceAsync("guarded", 80, startDelay: TimeSpan.FromSeconds(8)))[0];
        await scenario.Client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "guarded-ingress" },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "guarded" } },
                PolicyTypes = ["Ingress"],
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] }],
            },
        }, scenario.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: RealTrafficScenario.Holding);
        var client = await scenario.ClientAsync("node1");
        var holder = unidler.Pod.PodIp.ToString();

        var request = CurlClient.RequestAsync(client, guarded.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout);
        var backendsSeen = new HashSet<string>(StringComparer.Ordinal);
        // Every state the VIP's backends pass through while the client tries, read back to back.
        while (!request.IsCompleted)
        {
            backendsSeen.Add(await scenario.BackendsAsync(guarded).Within(Deadline.Short));
        }

        var exchange = await request.Within(Deadline.Long + ClientTime);

        Assert.True(exchange.TimedOutConnecting, exchange.Trace);
        Assert.False(exchange.Connected, exchange.Trace);
        Assert.DoesNotContain(backendsSeen, backends => backends.Contains(holder, StringComparison.Ordinal));
        Assert.Equal(1, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_hold_decisions_total{decision=\"policy\"}"));
        Assert.Equal(0, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_held_connections_total{protocol=\"tcp\"}"));
        // The wake itself ran as without holding: the pod comes up, after the client gave up, and the VIP points at it.
        await Eventually.TrueAsync(async () => await fixture.Cluster.ReadyEndpointCountAsync(scenario.Namespace, guarded.Name) == 1, "the guarded pod ready", RealTrafficScenario.Patience);
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        await Eventually.TrueAsync(
            async () => (await scenario.BackendsAsync(guarded)).StartsWith($"{readiness.Ipv4}:", StringComparison.Ordinal),
            "the VIP pointed at the pod", RealTrafficScenario.Patience);
        Assert.DoesNotContain(holder, await scenario.BackendsAsync(guarded), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_at_most_two_connections_held_per_service_a_third_concurrent_client_is_reset_while_two_are_served()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var limited = (await scenario.CreateIdledServiceAsync("limited", 80, startDelay: TimeSpan.FromSeconds(6)))[0];
        var settings = RealTrafficScenario.HoldingWith(("Holding:MaxConnectionsPerService", "2"));
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: settings);
        var clients = new[] { await scenario.ClientAsync("node1"), await scenario.ClientAsync("node1"), await scenario.ClientAsync("node1") };

        var exchanges = await CurlClient.RequestConcurrentlyAsync(clients, limited.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);

        var served = exchanges.Where(exchange => exchange.Succeeded).ToList();
        Assert.True(served.Count == 2, $"two held and served: {string.Join("\n----\n", exchanges.Select(exchange => exchange.Trace))}");
        Assert.All(served, exchange => Assert.StartsWith("limited-", exchange.Body.Trim(), StringComparison.Ordinal));
        var reset = Assert.Single(exchanges, exchange => !exchange.Succeeded);
        // 56: the holder accepted, then reset (Recv failure: Connection reset by peer); 7: reset during the handshake.
        Assert.True(reset.ExitCode is 56 or 7 || reset.Trace.Contains("Connection reset", StringComparison.Ordinal), $"the third client reset: {reset.Trace}");
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.All(served, exchange => Assert.True(exchange.ConnectedAt < readiness.ReadyAt, $"held before the pod was ready ({readiness}): {exchange.Trace}"));
        Assert.Equal(1, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_hold_resets_total{protocol=\"tcp\",reason=\"service_limit\"}"));
    }

    [Fact]
    public async Task A_held_client_is_reset_when_the_wake_fails_because_the_scale_is_refused()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var refused = (await scenario.CreateIdledServiceAsync("refused", 80, startDelay: TimeSpan.FromSeconds(1)))[0];
        // Late enough that the client's retransmitted SYN is held before the refusal ends the wake.
        var refusal = fixture.Api.Faults.Add(new FaultRule
        {
            Namespace = scenario.Namespace, Subresource = "scale", StatusCode = 403, Delay = TimeSpan.FromSeconds(4),
            Message = "deployments.apps \"refused\" is forbidden: cannot update resource \"deployments/scale\"",
        });
        try
        {
            var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: RealTrafficScenario.Holding);
            var client = await scenario.ClientAsync("node1");
            var holder = $"{unidler.Pod.PodIp}:";

            using var request = CurlClient.Start(client, refused.Url, ClientTime, ConnectTimeout);
            await Eventually.TrueAsync(async () => (await scenario.BackendsAsync(refused)).StartsWith(holder, StringComparison.Ordinal),
                $"the VIP pointed at the holder ({holder}...) during the wake", HolderGone);
            var exit = await request.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);
            var exchange = CurlClient.Parse(request.StartedAt, exit, string.Join('\n', request.Output), request.StandardError);

            Assert.True(refusal.Hits >= 1, "the scale was refused");
            Assert.True(exchange.Connected, $"the holder took the connection: {exchange.Trace}");
            Assert.True(exit is 56 or 52 || exchange.Trace.Contains("Connection reset", StringComparison.Ordinal), $"reset, not left hanging: {exchange.Trace}");
            Assert.Equal(1, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_hold_resets_total{protocol=\"tcp\",reason=\"hold_failed\"}"));
            Assert.Equal(0, await scenario.ReplicasAsync(refused.Name));
            await Eventually.TrueAsync(async () => !(await scenario.BackendsAsync(refused)).Contains(holder, StringComparison.Ordinal),
                "the holder's backend withdrawn once the hold failed", HolderGone);
        }
        finally
        {
            fixture.Api.Faults.Remove(refusal);
        }
    }
}
