using System.Net;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.Lab.Tests.Network;

[Collection(TrafficLabCollection.Name)]
public sealed class TrafficLabTests(TrafficLabFixture fixture) : IAsyncDisposable
{
    private static readonly TimeSpan ClientTime = TimeSpan.FromSeconds(20);
    private readonly List<LabPod> pods = [];

    [Fact]
    public async Task Curl_gets_the_pod_server_answer_on_the_same_node_across_geneve_and_across_zones()
    {
        RealTrafficGate.Require(fixture.WhyUnavailable);
        var lab = fixture.Lab;
        var nodes = lab.Nodes.ToList();
        var client = await AddPodAsync(nodes[0], "reach-client");
        var servers = new List<LabPod>();
        foreach (var node in new[] { nodes[0], nodes[1], nodes[2] })
        {
            var server = await AddPodAsync(node, $"reach-{node.Name}");
            PodPrograms.StartServer(server, server.Name, TimeSpan.Zero);
            await ReadinessProbe.WaitUntilAnswersAsync(server, PodPrograms.HttpPort, TestContext.Current.CancellationToken).Within(Deadline.Long);
            servers.Add(server);
        }

        foreach (var server in servers)
        {
            var exchange = await CurlClient.RequestAsync(client, new Uri($"http://{server.Ipv4}:{PodPrograms.HttpPort}/"), ClientTime, TestContext.Current.CancellationToken)
                .Within(Deadline.Long);
            Assert.True(exchange.Succeeded, $"{server}: {exchange.Trace}");
            Assert.Equal(server.Name, exchange.Body.Trim());
            Assert.True(exchange.FirstSynAt <= exchange.ConnectedAt && exchange.ConnectedAt <= exchange.FirstByteAt, exchange.Trace);
        }
    }

    [Fact]
    public async Task A_syn_to_an_idled_vip_raises_a_row_and_the_client_connects_at_a_retransmit_once_a_backend_in_another_zone_is_set()
    {
        RealTrafficGate.Require(fixture.WhyUnavailable);
        var lab = fixture.Lab;
        var nodes = lab.Nodes.ToList();
        var zone = lab.Zones[0];
        var client = await AddPodAsync(nodes[1], "idle-client");
        var backend = await AddPodAsync(nodes[3], "idle-backend");
        PodPrograms.StartServer(backend, "idle-backend", TimeSpan.Zero);
        // Listening before the backend is set: under load the server took over a second to start, and the retransmit was refused.
        await ReadinessProbe.WaitUntilAnswersAsync(backend, PodPrograms.HttpPort, TestContext.Current.CancellationToken).Within(Deadline.Long);
        const string Vip = "10.96.1.10:80";
        var loadBalancer = await lab.AddLoadBalancerAsync(zone, new LabLoadBalancerSpec { Name = "lab-idle", Vips = [Vip] }, TestContext.Current.CancellationToken);
        await zone.WaitForHypervisorSyncAsync(TestContext.Current.CancellationToken);

        using var request = CurlClient.Start(client, new Uri($"http://{Vip}/"), ClientTime);
        var row = await Eventually.ValueAsync(() => RowsAsync(zone, Vip), rows => rows.Length > 0, $"a Controller_Event for {Vip}");
        await TrafficLab.SetBackendsAsync(zone, loadBalancer, Vip, [$"{backend.Ipv4}:{PodPrograms.HttpPort}"], TestContext.Current.CancellationToken);
        var backendsAt = DateTime.UtcNow;
        var exit = await request.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long);
        var exchange = CurlClient.Parse(request.StartedAt, exit, string.Join('\n', request.Output), request.StandardError);

        Assert.True(exchange.Succeeded, exchange.Trace);
        Assert.Equal("idle-backend", exchange.Body.Trim());
        Assert.Contains("protocol=tcp", row, StringComparison.Ordinal);
        // The first SYN was dropped: the handshake completed only with a retransmit after the backend landed.
        Assert.True(exchange.ConnectedAt > backendsAt, exchange.Trace);
        Assert.True(exchange.ConnectedAt - exchange.FirstSynAt >= TimeSpan.FromSeconds(0.9), exchange.Trace);
        await zone.SbctlAsync(["--all", "destroy", "Controller_Event"], TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_udp_query_and_an_ipv6_request_to_idled_vips_are_answered_after_backends_land()
    {
        RealTrafficGate.Require(fixture.WhyUnavailable);
        var lab = fixture.Lab;
        var nodes = lab.Nodes.ToList();
        var zone = lab.Zones[1];
        var client = await AddPodAsync(nodes[2], "v6udp-client");
        var backend = await AddPodAsync(nodes[3], "v6udp-backend");
        PodPrograms.StartServer(backend, "v6udp-backend", TimeSpan.Zero);
        await ReadinessProbe.WaitUntilAnswersAsync(backend, PodPrograms.HttpPort, TestContext.Current.CancellationToken).Within(Deadline.Long);
        const string UdpVip = "10.96.2.53:53";
        const string Ipv6Vip = "[fd00:10:96::2:10]:80";
        var udp = await lab.AddLoadBalancerAsync(zone, new LabLoadBalancerSpec { Name = "lab-udp", Vips = [UdpVip], Protocol = LabProtocol.Udp }, TestContext.Current.CancellationToken);
        var web6 = await lab.AddLoadBalancerAsync(zone, new LabLoadBalancerSpec { Name = "lab-web6", Vips = [Ipv6Vip] }, TestContext.Current.CancellationToken);
        await zone.WaitForHypervisorSyncAsync(TestContext.Current.CancellationToken);

        using var query = PodPrograms.StartUdpQuery(client, IPEndPoint.Parse(UdpVip), TimeSpan.FromSeconds(1), ClientTime);
        using var request = CurlClient.Start(client, new Uri($"http://{Ipv6Vip}/"), ClientTime);
        var udpRow = await Eventually.ValueAsync(() => RowsAsync(zone, UdpVip), rows => rows.Length > 0, $"a Controller_Event for {UdpVip}");
        var ipv6Row = await Eventually.ValueAsync(() => RowsAsync(zone, Ipv6Vip), rows => rows.Length > 0, $"a Controller_Event for {Ipv6Vip}");
        await TrafficLab.SetBackendsAsync(zone, udp, UdpVip, [$"{backend.Ipv4}:{PodPrograms.UdpPort}"], TestContext.Current.CancellationToken);
        await TrafficLab.SetBackendsAsync(zone, web6, Ipv6Vip, [$"[{backend.Ipv6}]:{PodPrograms.HttpPort}"], TestContext.Current.CancellationToken);

        Assert.Equal(0, await query.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long));
        var answer = UdpExchange.Parse(Assert.Single(query.Output));
        var exit = await request.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long);
        var exchange = CurlClient.Parse(request.StartedAt, exit, string.Join('\n', request.Output), request.StandardError);

        Assert.Contains("protocol=udp", udpRow, StringComparison.Ordinal);
        Assert.StartsWith("v6udp-backend: query", answer.Answer, StringComparison.Ordinal);
        Assert.True(answer.Attempts >= 2, $"the first datagram raised the row and was dropped: {answer}");
        Assert.True(exchange.Succeeded, exchange.Trace);
        Assert.Contains("fd00:10:96::2:10", ipv6Row, StringComparison.Ordinal);
        await zone.SbctlAsync(["--all", "destroy", "Controller_Event"], TestContext.Current.CancellationToken);
    }

    private async Task<LabPod> AddPodAsync(NetdevChassis node, string name)
    {
        var pod = await fixture.Lab.AddPodAsync(node, name, TestContext.Current.CancellationToken).Within(Deadline.Long);
        pods.Add(pod);
        return pod;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in pods)
        {
            await fixture.Lab.RemovePodAsync(pod, CancellationToken.None);
        }
    }

    private static async Task<string> RowsAsync(TrafficZone zone, string vip) =>
        string.Join('\n', (await zone.SbctlAsync(["--bare", "--columns=event_info", "list", "Controller_Event"], TestContext.Current.CancellationToken))
            .Split('\n').Where(line => line.Contains(vip.Trim('[').Split(']')[0], StringComparison.Ordinal)));
}
