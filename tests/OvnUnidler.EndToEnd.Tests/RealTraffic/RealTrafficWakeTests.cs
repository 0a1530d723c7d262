using System.Net;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// Real clients (curl, the lab's UDP client) in pods wake idled Services through OVN on the
/// userspace datapath; the pods the wake starts really listen, and the client is served.
/// </summary>
[Collection(RealTrafficCollection.Name)]
public sealed class RealTrafficWakeTests(RealTrafficFixture fixture)
{
    private static readonly TimeSpan ClientTime = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_curl_to_an_idled_service_wakes_it_and_gets_200_from_the_new_pod_and_a_second_curl_raises_no_event()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var web = (await scenario.CreateIdledServiceAsync("web", 80, startDelay: TimeSpan.FromSeconds(1)))[0];
        var client = await scenario.ClientAsync();
        await scenario.StartOperatorAsync();

        var first = await CurlClient.RequestAsync(client, web.Url, ClientTime, TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);

        Assert.True(first.Succeeded, first.Trace);
        Assert.StartsWith("web-", first.Body.Trim(), StringComparison.Ordinal);
        Assert.True(first.ConnectedAt - first.FirstSynAt >= TimeSpan.FromSeconds(0.9), $"the first SYN was dropped, so only a retransmit connects: {first.Trace}");
        var readiness = Assert.Single(fixture.Cluster.Kubelet.Ready.Values, pod => pod.Namespace == scenario.Namespace);
        Assert.True(first.ConnectedAt > readiness.ReadyAt, $"connected {first.ConnectedAt:O} before the pod was ready: {readiness}; {first.Trace}");
        await Eventually.TrueAsync(async () => await scenario.RowsAsync(web) == 0, "the row acknowledged", RealTrafficScenario.Patience);

        var second = await CurlClient.RequestAsync(client, web.Url, ClientTime, TestContext.Current.CancellationToken).Within(Deadline.Long);

        Assert.True(second.Succeeded, second.Trace);
        Assert.True(second.ConnectedAt - second.FirstSynAt < TimeSpan.FromSeconds(0.9), second.Trace);
        await scenario.Lab.Zones[0].WaitForHypervisorSyncAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await scenario.RowsAsync(web));
        Assert.Equal(1, scenario.ScaleWrites("web"));
    }

    [Fact]
    public async Task A_udp_query_to_an_idled_service_wakes_it_and_a_retry_is_answered_by_the_new_pod()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var dns = (await scenario.CreateIdledServiceAsync("dns", 53, protocol: "UDP"))[0];
        var client = await scenario.ClientAsync();
        await scenario.StartOperatorAsync();

        using var query = PodPrograms.StartUdpQuery(client, IPEndPoint.Parse(dns.Vip), TimeSpan.FromSeconds(1), ClientTime);

        Assert.Equal(0, await query.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime));
        var exchange = UdpExchange.Parse(Assert.Single(query.Output));
        Assert.StartsWith("dns-", exchange.Answer, StringComparison.Ordinal);
        Assert.True(exchange.Attempts >= 2, $"the first datagram raised the event and was dropped: {exchange}");
        Assert.Equal(1, await scenario.ReplicasAsync("dns"));
    }

    [Fact]
    public async Task A_curl_to_an_ipv6_vip_wakes_the_service_and_is_answered_over_ipv6()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var web6 = (await scenario.CreateIdledServiceAsync("web6", 80, ipv6: true))[0];
        var client = await scenario.ClientAsync();
        await scenario.StartOperatorAsync();

        var exchange = await CurlClient.RequestAsync(client, web6.Url, ClientTime, TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);

        Assert.Contains(":", web6.ClusterIp, StringComparison.Ordinal);
        Assert.True(exchange.Succeeded, exchange.Trace);
        Assert.StartsWith("web6-", exchange.Body.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_curl_to_a_node_port_style_vip_is_mapped_by_the_load_balancers_owner_and_served()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        // A node's address with the NodePort: no Service field names that address, so only the load balancer's owner maps it.
        const string NodeVip = "172.18.0.2:30080";
        var web = (await scenario.CreateIdledServiceAsync("nodeport", 80, extraVips: [NodeVip], nodePort: 30080))[0];
        var client = await scenario.ClientAsync();
        await scenario.StartOperatorAsync();

        var exchange = await CurlClient.RequestAsync(client, new Uri($"http://{NodeVip}/"), ClientTime, TestContext.Current.CancellationToken)
            .Within(Deadline.Long + ClientTime);

        Assert.True(exchange.Succeeded, exchange.Trace);
        Assert.StartsWith("nodeport-", exchange.Body.Trim(), StringComparison.Ordinal);
        Assert.Equal(1, await scenario.ReplicasAsync(web.Name));
    }

    [Fact]
    public async Task An_operator_restarted_in_the_middle_of_a_wake_still_ends_with_the_client_served()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        var web = (await scenario.CreateIdledServiceAsync("restart", 80, startDelay: TimeSpan.FromSeconds(3)))[0];
        var client = await scenario.ClientAsync();
        await scenario.StartOperatorAsync();

        using var request = CurlClient.Start(client, web.Url, ClientTime);
        await Eventually.TrueAsync(async () => await scenario.ReplicasAsync(web.Name) == 1, "the scale-up issued", RealTrafficScenario.Patience);
        await scenario.StopOperatorAsync();
        Assert.True(await scenario.RowsAsync(web) > 0, "the row is still unacknowledged: the pod is not ready yet");
        await scenario.StartOperatorAsync();
        var exit = await request.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long + ClientTime);
        var exchange = CurlClient.Parse(request.StartedAt, exit, string.Join('\n', request.Output), request.StandardError);

        Assert.True(exchange.Succeeded, exchange.Trace);
        Assert.Equal(1, scenario.ScaleWrites(web.Name));
        await Eventually.TrueAsync(async () => await scenario.RowsAsync(web) == 0, "the row acknowledged by the new instance", RealTrafficScenario.Patience);
    }

    [Fact]
    public async Task Two_zones_with_one_operator_each_wake_a_service_once_and_serve_clients_in_both_from_a_backend_in_one()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        // The pod runs on node2 in az1; the client in az2 reaches it across the transit switch from
        // node3, az2's interconnect gateway (in ovn-kubernetes every node is a zone of its own, so
        // the client's node is always its zone's gateway).
        var services = await scenario.CreateIdledServiceAsync("zones", 80, startDelay: TimeSpan.FromSeconds(1), node: "node2", zones: [1, 2]);
        var nearClient = await scenario.ClientAsync("node1");
        var farClient = await scenario.ClientAsync("node3");
        await scenario.StartOperatorAsync(zone: 1);
        await scenario.StartOperatorAsync(zone: 2);

        var near = CurlClient.RequestAsync(nearClient, services[0].Url, ClientTime, TestContext.Current.CancellationToken);
        var far = CurlClient.RequestAsync(farClient, services[1].Url, ClientTime, TestContext.Current.CancellationToken);
        var exchanges = await Task.WhenAll(near, far).Within(Deadline.Long + ClientTime);

        Assert.All(exchanges, exchange => Assert.True(exchange.Succeeded, exchange.Trace));
        Assert.Equal(exchanges[0].Body, exchanges[1].Body);
        Assert.Equal(1, scenario.ScaleWrites("zones"));
        foreach (var service in services)
        {
            await Eventually.TrueAsync(async () => await scenario.RowsAsync(service) == 0, $"az{service.Zone}'s row acknowledged by its own instance", RealTrafficScenario.Patience);
        }
    }
}
