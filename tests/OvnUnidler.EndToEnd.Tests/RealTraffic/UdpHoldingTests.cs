using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// Issue 16's UDP holding with real datagrams: the operator process in its operator pod with
/// Unidler:HoldConnections=true, a client pod on another node sending from one socket, so that
/// every datagram after the first follows the one conntrack entry OVN's load balancer made for it.
/// </summary>
[Collection(RealTrafficCollection.Name)]
public sealed class UdpHoldingTests(RealTrafficFixture fixture)
{
    private const int DnsPort = 53;
    private static readonly TimeSpan ClientTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HolderSeen = TimeSpan.FromSeconds(20);
    private static readonly Dictionary<string, string> Holding = new(StringComparer.Ordinal) { ["Unidler:HoldConnections"] = "true" };

    [Fact]
    public async Task A_client_querying_every_4_s_from_one_socket_gets_its_held_retry_answered_by_a_5_s_pod_without_a_retry_after_readiness()
    {
        var interval = TimeSpan.FromSeconds(4);
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var held = (await scenario.CreateIdledServiceAsync("udpheld", DnsPort, protocol: "UDP", startDelay: TimeSpan.FromSeconds(5)))[0];
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: Holding);
        var client = await scenario.ClientAsync("node1");

        using var query = PodPrograms.StartUdpQuery(client, IPEndPoint.Parse(held.Vip), interval, ClientTime);

        Assert.Equal(0, await query.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime));
        var exchange = UdpExchange.Parse(Assert.Single(query.Output));
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        // The pod echoes "NAME: query N": the first query raised the event and was dropped, the second reached the holder.
        Assert.Equal($"{readiness.Name}: query 2", exchange.Answer);
        Assert.Equal(held.Vip, exchange.AnsweredFrom);
        var lastSent = exchange.FirstSentAt + (interval * (exchange.Attempts - 1));
        Assert.True(lastSent < readiness.ReadyAt, $"answered without a query sent after the pod was ready ({readiness}): {exchange}");
        Assert.True(exchange.AnsweredAt > readiness.ReadyAt, $"the answer came from the pod once it was ready ({readiness}): {exchange}");
        Assert.Equal(1, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_held_connections_total{protocol=\"udp\"}"));
        Assert.True(await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_kept_datagrams_total") >= 1, "the held query kept");
        await Eventually.TrueAsync(
            async () => (await scenario.BackendsAsync(held)).StartsWith($"{readiness.Ipv4}:", StringComparison.Ordinal),
            "the VIP handed from the holder to the pod", RealTrafficScenario.Patience);
        Assert.DoesNotContain(unidler.Pod.PodIp.ToString(), await scenario.BackendsAsync(held), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => await scenario.RowsAsync(held) == 0, "the row acknowledged", RealTrafficScenario.Patience);
    }

    [Fact]
    public async Task A_client_that_keeps_its_socket_after_the_drain_still_goes_through_the_holder_and_is_answered_from_the_vip()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var held = (await scenario.CreateIdledServiceAsync("udpkeep", DnsPort, protocol: "UDP", startDelay: TimeSpan.FromSeconds(3)))[0];
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: Holding);
        var client = await scenario.ClientAsync("node1");
        var vip = IPEndPoint.Parse(held.Vip);
        using var socket = client.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));

        var first = await QueryUntilAnsweredAsync(socket, vip, "wake");
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.StartsWith($"{readiness.Name}: wake ", first.Text, StringComparison.Ordinal);
        Assert.Equal(vip, first.From);
        await Eventually.TrueAsync(
            async () => (await scenario.BackendsAsync(held)).StartsWith($"{readiness.Ipv4}:", StringComparison.Ordinal),
            "the VIP handed from the holder to the pod", RealTrafficScenario.Patience);
        await Eventually.TrueAsync(() => unidler.Log.Contains("[8101]", StringComparison.Ordinal), "the hold ended", RealTrafficScenario.Patience);

        var again = await QueryUntilAnsweredAsync(socket, vip, "again");

        Assert.StartsWith($"{readiness.Name}: again ", again.Text, StringComparison.Ordinal);
        Assert.Equal(vip, again.From);
        // OVN flushed nothing when the VIP moved to the pod: this socket's datagrams still go to the holder, which must serve them.
        var node1 = scenario.Lab.Nodes.Single(node => node.Name == "node1");
        var entries = await node1.DumpConntrackAsync(TestContext.Current.CancellationToken);
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        Assert.Contains(entries, entry => entry.StartsWith("udp,", StringComparison.Ordinal)
            && entry.Contains(string.Create(CultureInfo.InvariantCulture, $"dst={vip.Address},sport={port},dport={DnsPort}"), StringComparison.Ordinal)
            && entry.Contains($"reply=(src={unidler.Pod.PodIp},", StringComparison.Ordinal));
    }

    /// <summary>
    /// A client's bounds: of five 100-byte datagrams sent during the wake, two are kept (two
    /// datagrams, or 200 of 250 bytes) and answered once the pod is ready; three are dropped for the
    /// bound, counted with its reason.
    /// </summary>
    [Theory]
    [InlineData("Holding:MaxDatagramsPerClient", "2", "client_datagram_limit")]
    [InlineData("Holding:MaxBufferedBytesPerClient", "250", "client_byte_limit")]
    public async Task A_client_over_its_bound_during_the_wake_gets_the_first_two_of_five_datagrams_answered_and_three_dropped(string setting, string value, string reason)
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var (held, unidler, client) = await HeldUdpServiceAsync(scenario, "udpcap", (setting, value));
        using var socket = Bound(client);

        await SendKeptAsync(unidler, socket, held, ["d1", "d2", "d3", "d4", "d5"], expectedKept: 2);
        var sentAll = DateTime.UtcNow;
        await DroppedAsync(unidler, reason, 3);
        var answers = await ReceiveAnswersAsync(socket, 2);
        // Once relayed, the flow goes straight to the pod: a probe answered after the two shows nothing else was kept.
        await SendAsync(socket, IPEndPoint.Parse(held.Vip), Payload("probe"));
        answers.Add((await ReceiveAsync(socket, ClientTime)).Text);

        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.True(sentAll < readiness.ReadyAt, $"all five sent during the wake ({readiness}), sent by {sentAll:O}");
        Assert.Equal(new[] { "d1", "d2", "probe" }.Select(text => $"{readiness.Name}: {Payload(text)}"), answers);
        Assert.Equal(2, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_kept_datagrams_total"));
        Assert.Equal(1, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_held_connections_total{protocol=\"udp\"}"));
    }

    /// <summary>
    /// A Service's bounds, across clients: the first client keeps two 100-byte datagrams (its own
    /// bound), the second then has room for one more before the Service's bound (three datagrams,
    /// or 350 bytes) drops the other two; the three kept are answered by the pod.
    /// </summary>
    [Theory]
    [InlineData("Holding:MaxDatagramsPerClient", "2", "Holding:MaxDatagramsPerService", "3", "service_datagram_limit")]
    [InlineData("Holding:MaxBufferedBytesPerClient", "250", "Holding:MaxBufferedBytesPerService", "350", "service_byte_limit")]
    public async Task Clients_over_their_services_bound_during_the_wake_have_the_surplus_dropped_and_the_rest_answered(
        string clientSetting, string clientValue, string serviceSetting, string serviceValue, string reason)
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var (held, unidler, client) = await HeldUdpServiceAsync(scenario, "udpsvc", (clientSetting, clientValue), (serviceSetting, serviceValue));
        using var firstClient = Bound(client);
        using var secondClient = Bound(client);
        Socket[] sockets = [firstClient, secondClient];

        await SendKeptAsync(unidler, sockets[0], held, ["a1", "a2"], expectedKept: 2);
        await SendKeptAsync(unidler, sockets[1], held, ["b1", "b2", "b3"], expectedKept: 3);
        await DroppedAsync(unidler, reason, 2);
        var first = await ReceiveAnswersAsync(sockets[0], 2);
        var second = await ReceiveAnswersAsync(sockets[1], 1);

        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.Equal(new[] { "a1", "a2" }.Select(text => $"{readiness.Name}: {Payload(text)}"), first);
        Assert.Equal([$"{readiness.Name}: {Payload("b1")}"], second);
        Assert.Equal(3, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_kept_datagrams_total"));
        Assert.Equal(0, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_hold_resets_total{protocol=\"udp\",reason=\"client_datagram_limit\"}"));
        Assert.Equal(0, await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_hold_resets_total{protocol=\"udp\",reason=\"client_byte_limit\"}"));
    }

    /// <summary>
    /// An idled UDP Service with a 5 s pod, the operator holding with <paramref name="settings"/>,
    /// and a client pod; a datagram from a socket of its own raised the event (OVN dropped it, so the
    /// holder never saw that client) and the VIP points at the holder when this returns.
    /// </summary>
    private static async Task<(OvnUnidler.Lab.Cluster.LabService Held, OvnUnidler.Lab.Cluster.LabOperator Unidler, OvnUnidler.Lab.Network.LabPod Client)> HeldUdpServiceAsync(
        RealTrafficScenario scenario, string name, params (string Key, string Value)[] settings)
    {
        var held = (await scenario.CreateIdledServiceAsync(name, DnsPort, protocol: "UDP", startDelay: TimeSpan.FromSeconds(5)))[0];
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: RealTrafficScenario.HoldingWith(settings));
        var client = await scenario.ClientAsync("node1");
        using (var waking = Bound(client))
        {
            await SendAsync(waking, IPEndPoint.Parse(held.Vip), "wake");
        }

        await Eventually.TrueAsync(async () => (await scenario.BackendsAsync(held)).StartsWith($"{unidler.Pod.PodIp}:", StringComparison.Ordinal),
            "the VIP pointed at the holder during the wake", HolderSeen);
        // The Northbound names the holder before the chassis' flows do: a datagram sent in between
        // meets the event action (no backends) and is lost, and each of these is sent only once.
        await scenario.Lab.Zones[0].WaitForHypervisorSyncAsync(TestContext.Current.CancellationToken);
        return (held, unidler, client);
    }

    private static Socket Bound(OvnUnidler.Lab.Network.LabPod client)
    {
        var socket = client.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return socket;
    }

    /// <summary>Sends 100-byte datagrams one by one, then waits until the holder has kept <paramref name="expectedKept"/> in all.</summary>
    private static async Task SendKeptAsync(OvnUnidler.Lab.Cluster.LabOperator unidler, Socket socket, OvnUnidler.Lab.Cluster.LabService held, IEnumerable<string> texts, int expectedKept)
    {
        foreach (var text in texts)
        {
            await SendAsync(socket, IPEndPoint.Parse(held.Vip), Payload(text));
        }

        await Eventually.TrueAsync(async () => await RealTrafficScenario.MetricAsync(unidler, "ovn_unidler_kept_datagrams_total") == expectedKept,
            $"{expectedKept} datagrams kept by the holder", RealTrafficScenario.Patience);
    }

    private static Task DroppedAsync(OvnUnidler.Lab.Cluster.LabOperator unidler, string reason, int count) => Eventually.TrueAsync(
        async () => await RealTrafficScenario.MetricAsync(unidler, $"ovn_unidler_hold_resets_total{{protocol=\"udp\",reason=\"{reason}\"}}") == count,
        $"{count} datagrams dropped for {reason}", RealTrafficScenario.Patience);

    private static async Task<List<string>> ReceiveAnswersAsync(Socket socket, int count)
    {
        var answers = new List<string>();
        while (answers.Count < count)
        {
            answers.Add((await ReceiveAsync(socket, ClientTime)).Text);
        }

        return answers;
    }

    /// <summary>The text padded to 100 bytes, so that byte bounds are hit at a known datagram.</summary>
    private static string Payload(string text) => text.PadRight(100, '.');

    /// <summary>
    /// "PREFIX N" once a second from <paramref name="socket"/> until the first answer to any of them;
    /// answers to earlier queries (other prefixes) still queued on the socket are skipped.
    /// </summary>
    private static async Task<(string Text, IPEndPoint From)> QueryUntilAnsweredAsync(Socket socket, IPEndPoint vip, string prefix)
    {
        var deadline = DateTime.UtcNow + ClientTime;
        for (var n = 1; DateTime.UtcNow < deadline; n++)
        {
            await SendAsync(socket, vip, string.Create(CultureInfo.InvariantCulture, $"{prefix} {n}"));
            try
            {
                while (true)
                {
                    var answer = await ReceiveAsync(socket, TimeSpan.FromSeconds(1));
                    if (answer.Text.Contains($": {prefix} ", StringComparison.Ordinal))
                    {
                        return answer;
                    }
                }
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                // No answer within a second: the next query, as a resolver retries.
            }
        }

        throw new TimeoutException($"no answer to '{prefix} N' from {vip} within {ClientTime}");
    }

    private static async Task SendAsync(Socket socket, IPEndPoint vip, string text) =>
        await socket.SendToAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, vip, TestContext.Current.CancellationToken);

    private static async Task<(string Text, IPEndPoint From)> ReceiveAsync(Socket socket, TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within);
        var buffer = new byte[2048];
        var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return (Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint);
    }
}
