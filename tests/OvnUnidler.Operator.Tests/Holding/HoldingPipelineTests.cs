using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Holding;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Holding;

/// <summary>
/// The operator's side of holding, against real ovsdb-servers and the API double, with a recording
/// holder in place of the engine. (The lab enforces no NetworkPolicy: the policy test checks the decision.)
/// </summary>
public sealed class HoldingPipelineTests
{
    private const string Vip = "10.96.0.10:80";
    private const string HolderAddress = "10.244.9.5";

    [Fact]
    public async Task Mode_write_points_the_vip_at_the_holder_while_the_pods_start_then_at_the_pods_and_drains()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        environment.Api.ControllerManager.ReadyDelay = TimeSpan.FromSeconds(3);
        var holder = new RecordingConnectionHolder();
        await using var unidler = await environment.StartOperatorAsync(Settings("Write"), configure: services => services.AddSingleton<IConnectionHolder>(holder));
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);

        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip] == $"{HolderAddress}:40000",
            "the VIP pointed at the holder's listener while the pods start");
        var request = Assert.Single(holder.Requests);
        Assert.Equal("shop/web", request.Service);
        Assert.Equal([new HeldPort("http", HeldProtocol.Tcp)], request.Ports);
        // Mode write names each backend with its own port: the range it is.
        Assert.Null(request.PreferredPorts);
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip].Split(',').All(backend => backend.EndsWith(":8080", StringComparison.Ordinal))
            && (await environment.Northbound.VipsAsync(loadBalancer))[Vip].Split(',').Length == 2, "the VIP moved to the two pods once ready");
        var held = holder.Of("shop/web")!;
        Assert.Equal(HoldEnd.Drained, await held.Ended.Within(Deadline.Long));
        var handed = held.ReadyEndpoints[new HeldPort("http", HeldProtocol.Tcp)];
        Assert.Equal(2, handed.Count);
        Assert.All(handed, endpoint => Assert.Equal(8080, endpoint.Port));
        Assert.Equal(1, unidler.Metrics.HoldDecisionsCount("held"));
    }

    [Fact]
    public async Task A_hold_fails_and_the_vip_is_emptied_when_its_service_is_idled_anew_before_its_pods_are_ready()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        // Pods that are not ready while the test runs: only the new idle can end the hold.
        environment.Api.ControllerManager.ReadyDelay = TimeSpan.FromMinutes(10);
        var holder = new RecordingConnectionHolder();
        await using var unidler = await environment.StartOperatorAsync(Settings("Write"), configure: services => services.AddSingleton<IConnectionHolder>(holder));
        await unidler.WaitUntilReadyAsync();
        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip] == $"{HolderAddress}:40000", "the VIP pointed at the holder");

        var idledAnew = new V1Patch(
            $"{{\"metadata\":{{\"annotations\":{{\"{OvnUnidler.Idling.Annotations.IdleAnnotations.IdledAt}\":\"2099-01-01T00:00:00Z\"}}}}}}", V1Patch.PatchType.MergePatch);
        await environment.Client.CoreV1.PatchNamespacedServiceAsync(idledAnew, "web", "shop", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HoldEnd.Failed, await holder.Of("shop/web")!.Ended.Within(Deadline.Long));
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip] == "",
            "the VIP without backends again, so that the next packet raises an event");
    }

    [Fact]
    public async Task Does_not_hold_a_service_whose_pods_a_network_policy_selects()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        await environment.Client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "web-from-frontend" },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } }, PolicyTypes = ["Ingress"] },
        }, "shop", cancellationToken: TestContext.Current.CancellationToken);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        var holder = new RecordingConnectionHolder();
        await using var unidler = await environment.StartOperatorAsync(Settings("Write"), configure: services => services.AddSingleton<IConnectionHolder>(holder));
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);

        await Eventually.TrueAsync(() => unidler.Metrics.HoldDecisionsCount("policy") == 1, "the decision not to hold");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip].Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "the wake served as without holding");
        Assert.Empty(holder.Requests);
    }

    [Fact]
    public async Task Mode_observe_publishes_a_holder_slice_on_the_pods_target_port_while_the_pods_start_and_removes_it_when_they_are_ready()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        environment.Api.ControllerManager.ReadyDelay = TimeSpan.FromSeconds(3);
        var holder = new RecordingConnectionHolder();
        await using var unidler = await environment.StartOperatorAsync(Settings("Observe"), configure: services => services.AddSingleton<IConnectionHolder>(holder));
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);

        V1EndpointSlice? published = null;
        await Eventually.TrueAsync(async () => (published = (await HolderSlicesAsync(environment.Client)).SingleOrDefault()) is not null, "the holder slice published");
        Assert.Equal("web", published!.Metadata.Labels[EndpointSliceCache.ServiceNameLabel]);
        Assert.Equal([HolderAddress], Assert.Single(published.Endpoints).Addresses);
        var port = Assert.Single(published.Ports);
        // The Service's targetPort (8080): ovn-kubernetes keeps one number per port name across the slices.
        Assert.Equal(("http", 8080, "TCP"), (port.Name, port.Port!.Value, port.Protocol));
        Assert.Equal(8080, Assert.Single(holder.Requests).PreferredPort(new HeldPort("http", HeldProtocol.Tcp)));
        await environment.Workloads.WaitForServingPodsAsync("shop", "web", 1);
        await Eventually.TrueAsync(async () => (await HolderSlicesAsync(environment.Client)).Count == 0, "the holder slice removed once the pods are ready");
    }

    [Fact]
    public async Task Mode_observe_keeps_the_holder_listening_while_the_vip_still_names_it_beside_the_pods()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        environment.Api.ControllerManager.ReadyDelay = TimeSpan.FromSeconds(2);
        var holder = new RecordingConnectionHolder();
        await using var unidler = await environment.StartOperatorAsync(Settings("Observe"), configure: services => services.AddSingleton<IConnectionHolder>(holder));
        await unidler.WaitUntilReadyAsync();
        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);
        await Eventually.TrueAsync(async () => (await HolderSlicesAsync(environment.Client)).Count == 1, "the holder slice published");
        var held = holder.Of("shop/web")!;
        var listener = $"{HolderAddress}:{held.Listeners[new HeldPort("http", HeldProtocol.Tcp)].Port}";
        // Playing ovn-kubernetes' part: the holder's slice becomes the VIP's backend.
        await environment.Northbound.SetBackendsAsync(loadBalancer, Vip, listener);

        await environment.Workloads.WaitForServingPodsAsync("shop", "web", 1);
        await Eventually.TrueAsync(async () => (await HolderSlicesAsync(environment.Client)).Count == 0, "the holder slice removed once the pod is ready");
        var port = new HeldPort("http", HeldProtocol.Tcp);
        await Eventually.TrueAsync(() => held.ReadyEndpoints.TryGetValue(port, out var endpoints) && endpoints.Count == 1, "the pod handed to the holder");
        var pod = $"{held.ReadyEndpoints[port].Single()}";
        // ovn-kubernetes' write before it has seen the slice go: holder and pod on one port number.
        await environment.Northbound.SetBackendsAsync(loadBalancer, Vip, $"{listener},{pod}");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip] == $"{listener},{pod}", "the mixed write seen");
        // A pass of the tracker that surely judged the mixed write: the operator's index holds it,
        // then a second pod makes the tracker hand the holder two endpoints, which it does in a pass.
        var index = unidler.Service<OvnUnidler.Operator.Northbound.LoadBalancerIndex>();
        await Eventually.TrueAsync(() => index.TryGet(loadBalancer, out var seen) && seen.Vips.GetValueOrDefault(Vip) == $"{listener},{pod}", "the operator seeing the mixed write");
        var scale = new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.MergePatch);
        await environment.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(scale, "web", "shop", cancellationToken: TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => held.ReadyEndpoints[port].Count == 2 || held.Ended.IsCompleted, "the tracker handing the holder both pods", Deadline.Long);

        Assert.False(held.Ended.IsCompleted, "the hold ended while the VIP still named the holder");

        await environment.Northbound.SetBackendsAsync(loadBalancer, Vip, pod);

        Assert.Equal(HoldEnd.Drained, await held.Ended.Within(Deadline.Long));
    }

    [Fact]
    public async Task Removes_a_holder_slice_whose_renewal_stopped_and_keeps_one_that_is_renewed()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1);
        var client = environment.Client;
        var cancellation = TestContext.Current.CancellationToken;
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(HolderSlice("web-holder-dead", "10.244.1.7", "2026-12-01T10:00:00.000Z"), "shop", cancellationToken: cancellation);
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(HolderSlice("web-holder-alive", "10.244.2.7", Stamp(0)), "shop", cancellationToken: cancellation);
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(HolderSlice("web-holder-mine", HolderAddress, Stamp(0)), "shop", cancellationToken: cancellation);
        await using var unidler = await environment.StartOperatorAsync(Settings("Observe"), configure: services => services.AddSingleton<IConnectionHolder>(new RecordingConnectionHolder()));
        await unidler.WaitUntilReadyAsync();

        // The other holder renews its slice, as a live one does, until the dead one is gone.
        var renewals = 0;
        await Eventually.TrueAsync(async () =>
        {
            var patch = new V1Patch($"{{\"metadata\":{{\"annotations\":{{\"{HolderEndpointSlices.RenewedAnnotation}\":\"{Stamp(++renewals)}\"}}}}}}", V1Patch.PatchType.MergePatch);
            await client.DiscoveryV1.PatchNamespacedEndpointSliceAsync(patch, "web-holder-alive", "shop", cancellationToken: cancellation);
            return !(await HolderSlicesAsync(client)).Any(slice => slice.Metadata.Name == "web-holder-dead");
        }, "the slice whose renewal stopped removed");

        var left = (await HolderSlicesAsync(client)).Select(slice => slice.Metadata.Name).ToList();
        Assert.Equal(["web-holder-alive"], left);
    }

    private static Dictionary<string, string?> Settings(string backends) => new()
    {
        ["Unidler:Backends"] = backends,
        ["Unidler:HolderAddress"] = HolderAddress,
        ["Unidler:HoldRenewal"] = "00:00:00.200",
        ["Unidler:HoldStaleAfter"] = "00:00:01",
    };

    private static string Stamp(int renewal) => $"2026-12-03T10:00:{renewal % 60:00}.000Z";

    private static async Task<IReadOnlyList<V1EndpointSlice>> HolderSlicesAsync(IKubernetes client) =>
        (await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("shop",
            labelSelector: $"{EndpointSliceCache.ManagedByLabel}={EndpointSliceCache.HolderManagedBy}", cancellationToken: TestContext.Current.CancellationToken)).Items.ToList();

    private static V1EndpointSlice HolderSlice(string name, string holder, string renewed) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { [EndpointSliceCache.ServiceNameLabel] = "web", [EndpointSliceCache.ManagedByLabel] = EndpointSliceCache.HolderManagedBy },
            Annotations = new Dictionary<string, string> { [HolderEndpointSlices.HolderAnnotation] = holder, [HolderEndpointSlices.RenewedAnnotation] = renewed },
        },
        AddressType = "IPv4",
        Endpoints = [new V1Endpoint { Addresses = [holder], Conditions = new V1EndpointConditions { Ready = true } }],
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 40123, Protocol = "TCP" }],
    };
}
