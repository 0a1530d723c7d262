using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Pipeline;

public sealed class RestartPipelineTests
{
    [Fact]
    public async Task An_operator_stopped_between_scale_and_acknowledgement_leaves_the_row_and_its_successor_does_not_scale_again()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        // Observe mode waits for backends that nobody writes: the wake stays between scale and acknowledgement.
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", ["10.96.0.10:80"], owner: "shop/web");
        var settings = new Dictionary<string, string?> { ["Unidler:BackendsTimeout"] = "00:05:00" };
        var first = await environment.StartOperatorAsync(settings);
        await first.WaitUntilReadyAsync();

        var row = await environment.Southbound.InsertEventAsync("10.96.0.10:80", loadBalancer: loadBalancer);
        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "web") == 3, "web scaled to 3");
        await first.StopAsync();

        Assert.Equal([row], await environment.Southbound.EventRowUuidsAsync());
        await using var second = await environment.StartOperatorAsync(settings);
        await second.WaitUntilReadyAsync();
        // The successor holds the row until the VIP can answer: ovn-kubernetes writes the backends.
        await Eventually.TrueAsync(async () => !(await environment.Workloads.AnnotationsAsync("shop", "web")).ContainsKey(IdledWorkloads.IdledAt), "the successor to finish the wake");
        Assert.Equal([row], await environment.Southbound.EventRowUuidsAsync());
        await environment.Northbound.SetBackendsAsync(loadBalancer, "10.96.0.10:80", "10.244.0.5:8080");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted by the successor");
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
        Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
    }

    [Fact]
    public async Task Backends_appearing_in_the_northbound_complete_the_wake_in_observe_mode()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", ["10.96.0.10:80"], owner: "shop/web");
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?> { ["Unidler:BackendsTimeout"] = "00:05:00" });
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.10:80", loadBalancer: loadBalancer);
        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "web") == 2, "web scaled to 2");
        Assert.Equal(1, await environment.Southbound.CountEventRowsAsync());

        // ovn-kubernetes writes the backends once the endpoints are ready.
        await environment.Northbound.SetBackendsAsync(loadBalancer, "10.96.0.10:80", "10.244.0.5:8080,10.244.0.6:8080");

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted once backends are present");
        var report = Assert.Single(unidler.Reports.All);
        Assert.NotNull(report.BackendsPresentAt);
        Assert.True(report.BackendsPresentAt >= report.ScaleIssuedAt);
    }

    [Fact]
    public async Task Backends_that_never_appear_give_a_warning_event_and_the_row_is_still_acknowledged()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", ["10.96.0.10:80"], owner: "shop/web");
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?> { ["Unidler:BackendsTimeout"] = "00:00:01" });
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.10:80", loadBalancer: loadBalancer);

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted after the deadline");
        var warning = Assert.Single(await Eventually.ValueAsync(() => environment.Workloads.EventsAsync("shop", "BackendsNotReady"),
            events => events.Count > 0, "the Warning event"));
        Assert.Equal("Warning", warning.Type);
        Assert.Contains("load balancer has no backends", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, unidler.Metrics.BackendsTimeoutsCount);
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
    }

    [Fact]
    public async Task Mode_write_puts_the_ready_endpoints_into_the_load_balancer()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("lb-web", ["10.96.0.10:80"]);
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?> { ["Unidler:Backends"] = "Write" });
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.10:80", loadBalancer: loadBalancer);

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted");
        var backends = (await environment.Northbound.VipsAsync(loadBalancer))["10.96.0.10:80"].Split(',');
        Assert.Equal(2, backends.Length);
        Assert.All(backends, backend => Assert.EndsWith(":8080", backend, StringComparison.Ordinal));
    }
}
