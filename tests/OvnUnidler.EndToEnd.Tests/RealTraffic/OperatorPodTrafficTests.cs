using System.Net;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// The operator as a cluster runs it (issue 16, point 6): its own process in an operator pod with
/// its own address on a node switch, POD_IP in its environment, the API double over the lab's host
/// link. A VIP whose backend is that address carries real TCP and UDP from client pods to servers
/// inside the operator's namespace, answered from the VIP; that is the path a connection holder in
/// the operator needs. No holder is involved here.
/// </summary>
[Collection(RealTrafficCollection.Name)]
public sealed class OperatorPodTrafficTests(RealTrafficFixture fixture)
{
    private static readonly TimeSpan ClientTime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Curls_through_a_vip_whose_backend_is_the_operator_pod_reach_the_operators_http_endpoint_and_are_answered_from_the_vip()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2");
        var vip = await scenario.DirectServiceAsync("operator-http", 80, "TCP", new IPEndPoint(unidler.Pod.PodIp, LabOperator.HttpPort));
        var near = await scenario.ClientAsync("node1");
        var sameNode = await scenario.ClientAsync("node2");

        var exchanges = await CurlClient.RequestConcurrentlyAsync(
            [near, near, near, sameNode], new Uri(vip.Url, "healthz"), ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);

        Assert.All(exchanges, exchange =>
        {
            // curl connected to the VIP, so the SYN-ACK came from the VIP: OVN's conntrack un-NATed the operator pod's reply.
            Assert.True(exchange.Succeeded, exchange.Trace);
            Assert.True(exchange.Connected, exchange.Trace);
            Assert.Equal("ok", exchange.Body.Trim());
        });
        var environment = await File.ReadAllTextAsync($"/proc/{unidler.Process.Pid}/environ", TestContext.Current.CancellationToken);
        Assert.Contains($"{LabOperator.PodIpVariable}={unidler.Pod.PodIp}\0", environment, StringComparison.Ordinal);
        Assert.Equal(0, await scenario.RowsAsync(vip));
    }

    [Fact]
    public async Task An_operator_killed_and_restarted_in_its_pod_keeps_the_pods_address_and_is_reached_through_the_vip_again()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var first = await scenario.StartOperatorPodAsync(zone: 1, node: "node2");
        var vip = await scenario.DirectServiceAsync("operator-restart", 80, "TCP", new IPEndPoint(first.Pod.PodIp, LabOperator.HttpPort));
        var client = await scenario.ClientAsync("node1");

        var restarted = await scenario.KillAndRestartOperatorPodAsync(first);
        var exchange = await CurlClient.RequestAsync(client, new Uri(vip.Url, "readyz"), ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);

        Assert.True(first.Process.HasExited);
        Assert.NotEqual(first.Process.Pid, restarted.Process.Pid);
        Assert.Equal(first.Pod.PodIp, restarted.Pod.PodIp);
        Assert.True(exchange.Succeeded, exchange.Trace);
        Assert.Equal($"{first.Pod.PodIp}:{LabOperator.HttpPort}", await scenario.BackendsAsync(vip));
        Assert.False(await scenario.RaisesEventsAsync(vip));
    }

    [Fact]
    public async Task A_udp_query_through_a_vip_whose_backend_is_the_operator_pod_is_answered_by_a_responder_in_its_namespace()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2");
        using var responder = PodPrograms.StartServer(unidler.Pod.Pod, "operator-pod", TimeSpan.Zero, httpPort: LabOperator.HttpPort + 1);
        await Eventually.TrueAsync(() => responder.Output.Any(line => line.StartsWith("listening", StringComparison.Ordinal)), "the responder listening", RealTrafficScenario.Patience);
        var vip = await scenario.DirectServiceAsync("operator-udp", 53, "UDP", new IPEndPoint(unidler.Pod.PodIp, PodPrograms.UdpPort));
        var client = await scenario.ClientAsync("node1");

        using var query = PodPrograms.StartUdpQuery(client, IPEndPoint.Parse(vip.Vip), TimeSpan.FromSeconds(1), ClientTime);

        Assert.Equal(0, await query.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime));
        var exchange = UdpExchange.Parse(Assert.Single(query.Output));
        Assert.StartsWith("operator-pod: ", exchange.Answer, StringComparison.Ordinal);
        // The responder answered from the operator pod's address; the client saw the VIP: conntrack un-NATed the reply.
        Assert.Equal(vip.Vip, exchange.AnsweredFrom);
        Assert.Equal(1, exchange.Attempts);
    }

    [Fact]
    public async Task A_bulk_download_through_a_vip_to_the_operator_pod_carries_every_byte()
    {
        const long Size = 20_000_000;
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var unidler = await scenario.StartOperatorPodAsync(zone: 1, node: "node2");
        using var server = PodPrograms.StartServer(unidler.Pod.Pod, "operator-pod", TimeSpan.Zero, httpPort: LabOperator.HttpPort + 1);
        await Eventually.TrueAsync(() => server.Output.Any(line => line.StartsWith("listening", StringComparison.Ordinal)), "the server listening", RealTrafficScenario.Patience);
        var vip = await scenario.DirectServiceAsync("operator-bulk", 80, "TCP", new IPEndPoint(unidler.Pod.PodIp, LabOperator.HttpPort + 1));
        var client = await scenario.ClientAsync("node1");

        var download = await CurlClient.DownloadAsync(client, new Uri(vip.Url, $"bytes/{Size}"), ClientTime, TestContext.Current.CancellationToken)
            .Within(Deadline.Long + ClientTime);

        Assert.True(download.Succeeded, download.ToString());
        Assert.Equal(Size, download.Bytes);
        Assert.True(download.BytesPerSecond > 0, download.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine($"through the VIP to the operator pod: {download}");
    }

    [Fact]
    public async Task A_client_with_a_5_s_connect_timeout_times_out_on_a_service_whose_pod_takes_8_s_when_the_operator_only_wakes_it()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var slow = (await scenario.CreateIdledServiceAsync("slow", 80, startDelay: TimeSpan.FromSeconds(8)))[0];
        await scenario.StartOperatorPodAsync(zone: 1, node: "node2", settings: new Dictionary<string, string>(StringComparer.Ordinal) { ["Unidler:HoldConnections"] = "false" });
        var client = await scenario.ClientAsync("node1");

        var exchange = await CurlClient.RequestAsync(client, slow.Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)
            .Within(Deadline.Long + ClientTime);

        Assert.True(exchange.TimedOutConnecting, exchange.Trace);
        Assert.False(exchange.Connected, exchange.Trace);
        // The operator in its pod did wake the Service: the pod comes up, just after the client gave up.
        await Eventually.TrueAsync(async () => await fixture.Cluster.ReadyEndpointCountAsync(scenario.Namespace, slow.Name) == 1, "the slow pod ready", RealTrafficScenario.Patience);
        Assert.Equal(1, scenario.ScaleWrites(slow.Name));
    }
}
