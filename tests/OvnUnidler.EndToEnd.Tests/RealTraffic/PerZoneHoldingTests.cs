using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// Issue 16, point 8: with interconnect every zone has its own Northbound, and its own instance
/// writes its VIPs. Which instance's holder a zone's VIP points at, and who takes it away again,
/// judged with one operator pod per zone, each holding, and a client in each zone.
/// </summary>
[Collection(RealTrafficCollection.Name)]
public sealed class PerZoneHoldingTests(RealTrafficFixture fixture)
{
    private static readonly TimeSpan ClientTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Each_zones_vip_points_at_its_own_zones_holder_which_serves_its_own_client_and_both_are_handed_to_the_pod_after_one_wake()
    {
        await using var scenario = await RealTrafficScenario.StartAsync(fixture);
        // The pod on node2 in az1; each operator pod and client on its zone's gateway node (in
        // ovn-kubernetes every node is a zone of its own), so az2's holder reaches the pod across the transit switch.
        var services = await scenario.CreateIdledServiceAsync("zoned", 80, startDelay: TimeSpan.FromSeconds(6), node: "node2", zones: [1, 2]);
        var instances = new[]
        {
            await scenario.StartOperatorPodAsync(zone: 1, node: "node1", settings: RealTrafficScenario.Holding),
            await scenario.StartOperatorPodAsync(zone: 2, node: "node3", settings: RealTrafficScenario.Holding),
        };
        var clients = new[] { await scenario.ClientAsync("node1"), await scenario.ClientAsync("node3") };
        var vips = new[] { await scenario.WatchVipsAsync(1), await scenario.WatchVipsAsync(2) };

        var exchanges = await Task.WhenAll(Enumerable.Range(0, 2).Select(zone =>
            CurlClient.RequestAsync(clients[zone], services[zone].Url, ClientTime, TestContext.Current.CancellationToken, ConnectTimeout)))
            .Within(Deadline.Long + ClientTime);

        var readiness = Assert.Single(scenario.ReadyPods("zoned"));
        for (var zone = 0; zone < 2; zone++)
        {
            var own = $"{instances[zone].Pod.PodIp}:";
            var other = $"{instances[1 - zone].Pod.PodIp}:";
            Assert.True(exchanges[zone].Succeeded, $"az{zone + 1}'s client, with a 5 s connect timeout and a 6 s pod: {exchanges[zone].Trace}");
            Assert.StartsWith("zoned-", exchanges[zone].Body.Trim(), StringComparison.Ordinal);
            Assert.True(exchanges[zone].ConnectedAt < readiness.ReadyAt, $"az{zone + 1}'s client held before the pod was ready ({readiness}): {exchanges[zone].Trace}");
            Assert.True(vips[zone].Saw(own), $"az{zone + 1}'s VIP pointed at its own instance's holder {own}: {string.Join('\n', vips[zone].Lines)}");
            Assert.False(vips[zone].Saw(other), $"az{zone + 1}'s VIP never pointed at the other zone's holder {other}: {string.Join('\n', vips[zone].Lines)}");
            Assert.Equal(1, await RealTrafficScenario.MetricAsync(instances[zone], "ovn_unidler_held_connections_total{protocol=\"tcp\"}"));
        }

        foreach (var (service, zone) in services.Select((service, index) => (service, index)))
        {
            await Eventually.TrueAsync(
                async () => (await scenario.BackendsAsync(service)).StartsWith($"{readiness.Ipv4}:", StringComparison.Ordinal),
                $"az{service.Zone}'s VIP handed to the pod", RealTrafficScenario.Patience);
            var backends = await scenario.BackendsAsync(service);
            Assert.All(instances, instance => Assert.DoesNotContain(instance.Pod.PodIp.ToString(), backends, StringComparison.Ordinal));
            await Eventually.TrueAsync(async () => await RealTrafficScenario.MetricAsync(instances[zone], "ovn_unidler_active_holds") == 0,
                $"az{service.Zone}'s hold drained", RealTrafficScenario.Patience);
        }

        Assert.Equal(1, scenario.ScaleWrites("zoned"));
    }
}
