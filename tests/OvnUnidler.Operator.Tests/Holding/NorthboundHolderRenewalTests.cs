using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Holding;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Holding;

/// <summary>
/// Mode write's crash safety against real ovsdb-servers: the acting instance renews a holder entry
/// on the Load_Balancer it points at the holder, and every instance removes one whose renewal stopped.
/// </summary>
public sealed class NorthboundHolderRenewalTests
{
    private const string Vip = "10.96.0.10:80";
    private const string HolderAddress = "10.244.9.5";
    private const string Holder = NorthboundHolderStamps.HolderKey;
    private const string Renewed = NorthboundHolderStamps.RenewedKey;

    [Fact]
    public async Task Renews_the_holder_entry_while_the_vip_names_the_holder_and_removes_it_once_the_vip_moved_to_the_pods()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        environment.Api.ControllerManager.ReadyDelay = TimeSpan.FromSeconds(6);
        var holder = new RecordingConnectionHolder();
        await using var unidler = await environment.StartOperatorAsync(Settings(staleAfter: "00:00:01"), configure: services => services.AddSingleton<IConnectionHolder>(holder));
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);

        var first = await Eventually.ValueAsync(() => environment.Northbound.ExternalIdsAsync(loadBalancer),
            ids => ids.TryGetValue(Holder, out var named) && named == HolderAddress && ids.ContainsKey(Renewed), "the row stamped with this holder");
        var renewed = await Eventually.ValueAsync(() => environment.Northbound.ExternalIdsAsync(loadBalancer),
            ids => ids.TryGetValue(Renewed, out var stamp) && stamp != first[Renewed], "the renewal value changed");
        Assert.Equal(HolderAddress, renewed[Holder]);
        Assert.Equal($"{HolderAddress}:40000", (await environment.Northbound.VipsAsync(loadBalancer))[Vip]);
        Assert.Equal("shop/web", renewed[LoadBalancerInfo.OwnerKey]);

        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip].Split(',').All(backend => backend.EndsWith(":8080", StringComparison.Ordinal)),
            "the VIP moved to the pods once ready", Deadline.Long);
        var after = await Eventually.ValueAsync(() => environment.Northbound.ExternalIdsAsync(loadBalancer),
            ids => !ids.ContainsKey(Holder) && !ids.ContainsKey(Renewed), "the holder entry removed");
        Assert.Equal("shop/web", after[LoadBalancerInfo.OwnerKey]);
        // The live hold was never taken for a dead one.
        Assert.Equal(0, unidler.Metrics.StaleHoldersRemovedCount("load_balancer"));
    }

    [Fact]
    public async Task Removes_the_backends_of_a_holder_whose_renewal_stopped_and_keeps_one_that_is_renewed()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var northbound = environment.Northbound;
        var dead = await northbound.AddLoadBalancerAsync("lb-dead", ["10.96.0.20:80", "10.96.0.20:443"]);
        await northbound.SetBackendsAsync(dead, "10.96.0.20:80", "10.244.1.7:40123,10.244.0.20:8080");
        await northbound.SetBackendsAsync(dead, "10.96.0.20:443", "10.244.1.7:40124");
        await northbound.SetExternalIdsAsync(dead, new Dictionary<string, string> { [Holder] = "10.244.1.7", [Renewed] = "2026-12-01T10:00:00.000Z" });
        var alive = await northbound.AddLoadBalancerAsync("lb-alive", ["10.96.0.21:80"]);
        await northbound.SetBackendsAsync(alive, "10.96.0.21:80", "10.244.2.7:40123");
        await northbound.SetExternalIdsAsync(alive, new Dictionary<string, string> { [Holder] = "10.244.2.7", [Renewed] = Stamp(0) });
        await using var unidler = await environment.StartOperatorAsync(Settings(staleAfter: "00:00:03"), configure: services => services.AddSingleton<IConnectionHolder>(new RecordingConnectionHolder()));
        await unidler.WaitUntilReadyAsync();

        // The other holder renews its entry, as a live one does, until the dead one is gone.
        var renewals = 0;
        await Eventually.TrueAsync(async () =>
        {
            await northbound.SetExternalIdsAsync(alive, new Dictionary<string, string> { [Renewed] = Stamp(++renewals) });
            return !(await northbound.ExternalIdsAsync(dead)).ContainsKey(Holder);
        }, "the entry whose renewal stopped removed");

        Assert.Equal(new Dictionary<string, string> { ["10.96.0.20:80"] = "10.244.0.20:8080", ["10.96.0.20:443"] = "" }, await northbound.VipsAsync(dead));
        Assert.Empty(await northbound.ExternalIdsAsync(dead));
        Assert.Equal("10.244.2.7:40123", (await northbound.VipsAsync(alive))["10.96.0.21:80"]);
        Assert.Equal("10.244.2.7", (await northbound.ExternalIdsAsync(alive))[Holder]);
        Assert.Equal(1, unidler.Metrics.StaleHoldersRemovedCount("load_balancer"));
    }

    [Fact]
    public async Task Removes_at_start_the_holder_entries_and_backends_its_own_address_left()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var northbound = environment.Northbound;
        var stamped = await northbound.AddLoadBalancerAsync("lb-stamped", ["10.96.0.30:80"]);
        await northbound.SetBackendsAsync(stamped, "10.96.0.30:80", $"{HolderAddress}:40000");
        await northbound.SetExternalIdsAsync(stamped, new Dictionary<string, string> { [Holder] = HolderAddress, [Renewed] = Stamp(0) });
        // The previous process may have died between its vips write and its first stamp.
        var unstamped = await northbound.AddLoadBalancerAsync("lb-unstamped", ["10.96.0.31:80"]);
        await northbound.SetBackendsAsync(unstamped, "10.96.0.31:80", $"{HolderAddress}:40001,10.244.0.31:8080");
        // The operator pod as a Service's endpoint (its metrics, say), off the holder's port range.
        var metrics = await northbound.AddLoadBalancerAsync("lb-metrics", ["10.96.0.33:8080"]);
        await northbound.SetBackendsAsync(metrics, "10.96.0.33:8080", $"{HolderAddress}:8080");
        var other = await northbound.AddLoadBalancerAsync("lb-other", ["10.96.0.32:80"]);
        await northbound.SetBackendsAsync(other, "10.96.0.32:80", "10.244.3.7:40000");
        await northbound.SetExternalIdsAsync(other, new Dictionary<string, string> { [Holder] = "10.244.3.7", [Renewed] = Stamp(0) });

        // Stale only after ten minutes: what goes within the test's deadline went because it is this address's.
        await using var unidler = await environment.StartOperatorAsync(Settings(staleAfter: "00:10:00"), configure: services => services.AddSingleton<IConnectionHolder>(new RecordingConnectionHolder()));
        await unidler.WaitUntilReadyAsync();

        await Eventually.TrueAsync(async () => (await northbound.VipsAsync(stamped))["10.96.0.30:80"] == ""
            && (await northbound.VipsAsync(unstamped))["10.96.0.31:80"] == "10.244.0.31:8080", "this address's backends removed at start");
        Assert.Empty(await northbound.ExternalIdsAsync(stamped));
        Assert.Equal("10.244.3.7:40000", (await northbound.VipsAsync(other))["10.96.0.32:80"]);
        Assert.Equal("10.244.3.7", (await northbound.ExternalIdsAsync(other))[Holder]);
        Assert.Equal($"{HolderAddress}:8080", (await northbound.VipsAsync(metrics))["10.96.0.33:8080"]);
        Assert.Equal(2, unidler.Metrics.StaleHoldersRemovedCount("load_balancer"));
    }

    [Fact]
    public async Task A_renewal_that_lands_before_the_removal_makes_it_fail_and_leaves_the_holder()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var northbound = environment.Northbound;
        var loadBalancer = await northbound.AddLoadBalancerAsync("lb", ["10.96.0.40:80"]);
        await northbound.SetBackendsAsync(loadBalancer, "10.96.0.40:80", "10.244.4.7:40000,10.244.0.40:8080");
        var judged = new Dictionary<string, string> { [Holder] = "10.244.4.7", [Renewed] = Stamp(0), ["k8s.ovn.org/kind"] = "Service" };
        await northbound.SetExternalIdsAsync(loadBalancer, judged);
        var row = new LoadBalancerInfo(loadBalancer, "lb", TransportProtocol.Tcp, null,
            new Dictionary<string, string> { ["10.96.0.40:80"] = "10.244.4.7:40000,10.244.0.40:8080" }, judged);
        var removal = NorthboundHolderSweeper.RemovalOperations(row, "10.244.4.7", RecordingRange);

        await northbound.SetExternalIdsAsync(loadBalancer, new Dictionary<string, string> { [Renewed] = Stamp(1) });
        var raced = await northbound.TransactAnsweringAsync(removal.Select(operation => operation.Json.DeepClone()));

        Assert.Equal("timed out", raced[0]?["error"]?.GetValue<string>());
        Assert.Equal("10.244.4.7:40000,10.244.0.40:8080", (await northbound.VipsAsync(loadBalancer))["10.96.0.40:80"]);
        Assert.Equal(Stamp(1), (await northbound.ExternalIdsAsync(loadBalancer))[Renewed]);

        // Judged on what the row holds now, the same removal goes through.
        var current = row with { ExternalIds = await northbound.ExternalIdsAsync(loadBalancer) };
        var answer = await northbound.TransactAnsweringAsync(NorthboundHolderSweeper.RemovalOperations(current, "10.244.4.7", RecordingRange).Select(operation => operation.Json.DeepClone()));

        Assert.DoesNotContain(answer, result => result?["error"] is not null);
        Assert.Equal("10.244.0.40:8080", (await northbound.VipsAsync(loadBalancer))["10.96.0.40:80"]);
        Assert.Equal(new Dictionary<string, string> { ["k8s.ovn.org/kind"] = "Service" }, await northbound.ExternalIdsAsync(loadBalancer));
    }

    private static readonly HoldingOptions RecordingRange = new() { FirstPort = 40000, LastPort = 40999 };

    private static Dictionary<string, string?> Settings(string staleAfter) => new()
    {
        ["Unidler:Backends"] = "Write",
        ["Unidler:HolderAddress"] = HolderAddress,
        ["Unidler:HoldRenewal"] = "00:00:00.200",
        ["Unidler:HoldStaleAfter"] = staleAfter,
        // The recording holder's listener ports.
        ["Holding:FirstPort"] = RecordingRange.FirstPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Holding:LastPort"] = RecordingRange.LastPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Stamp(int renewal) => $"2026-12-03T10:{renewal / 60 % 60:00}:{renewal % 60:00}.000Z";
}
