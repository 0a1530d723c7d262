using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Services;
using OvnUnidler.Lab.Tests.Network;

namespace OvnUnidler.Lab.Tests.Services;

/// <summary>
/// The lab's stand-in for ovn-kubernetes' services controller, writing real Northbound databases:
/// the API double without its controllers, so each test writes the EndpointSlices itself.
/// </summary>
[Collection(TrafficLabCollection.Name)]
public sealed class LabServicesControllerTests(TrafficLabFixture fixture)
{
    private const string Holder = "10.244.1.5";
    private const string Pod = "10.244.2.10";

    [Fact]
    public async Task An_idled_services_vip_in_every_zone_points_at_a_holder_slice_then_at_the_pods_and_goes_with_the_service()
    {
        RealTrafficGate.Require(fixture.WhyUnavailable);
        var cancellation = TestContext.Current.CancellationToken;
        await using var api = await KubernetesApiDouble.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, cancellation);
        using var kubernetes = api.CreateClient();
        var ns = await NamespaceAsync(kubernetes);
        var service = await kubernetes.CoreV1.CreateNamespacedServiceAsync(IdledService("web"), ns, cancellationToken: cancellation);
        var vip = $"{service.Spec.ClusterIP}:80";
        // As the EndpointSlice controller keeps it for a Service without ready pods: no endpoints, no ports.
        await kubernetes.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice("web-x7k2p", "endpointslice-controller.k8s.io"), ns, cancellationToken: cancellation);
        await using var controller = await LabServicesController.StartAsync(kubernetes, fixture.Lab, new LabServicesControllerOptions { Namespaces = [ns] }, cancellationToken: cancellation)
            .Within(Deadline.Long);

        var balancers = await Eventually.ValueAsync(
            () => Task.FromResult(fixture.Lab.Zones.Select(zone => controller.LoadBalancerOf(zone.Number, ns, "web", LabProtocol.Tcp)).ToList()),
            found => found.All(uuid => uuid is not null), "the Service's load balancer written in both zones", Deadline.Long);
        foreach (var (zone, uuid) in fixture.Lab.Zones.Zip(balancers))
        {
            Assert.Equal("", await TrafficLab.GetBackendsAsync(zone, uuid!, vip, cancellation));
            Assert.True(await TrafficLab.RaisesEventsAsync(zone, uuid!, cancellation));
            Assert.Equal("false", await OptionAsync(zone, uuid!, "reject"));
            Assert.Equal($"{ns}/web", (await zone.NbctlAsync(["get", "Load_Balancer", uuid!, "external_ids:\"k8s.ovn.org/owner\""], cancellation)).Trim('"'));
            foreach (var node in zone.Nodes)
            {
                Assert.Contains(uuid!, await zone.NbctlAsync(["ls-lb-list", node.Name], cancellation), StringComparison.Ordinal);
            }
        }

        // What ovn-unidler publishes in mode observe while it holds: its own slice, its own managed-by.
        await kubernetes.DiscoveryV1.CreateNamespacedEndpointSliceAsync(
            Slice("web-holder-0a1b2c3d", "holder.unidler.ovn.org", (32100, Holder)), ns, cancellationToken: cancellation);
        await BackendsInEveryZoneAsync(balancers, vip, $"{Holder}:32100", "the VIP pointed at the holder");

        // The pod is ready (the controller fills the placeholder), and the holder withdraws its slice.
        await kubernetes.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(
            Slice("web-x7k2p", "endpointslice-controller.k8s.io", (8080, Pod)), "web-x7k2p", ns, cancellationToken: cancellation);
        await kubernetes.DiscoveryV1.DeleteNamespacedEndpointSliceAsync("web-holder-0a1b2c3d", ns, cancellationToken: cancellation);
        await BackendsInEveryZoneAsync(balancers, vip, $"{Pod}:8080", "the VIP pointed at the pod only");

        // The wake is over: no idled-at, no unidled-at in its 30 s; an empty VIP would now be rejected.
        await kubernetes.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"metadata":{"annotations":{"idling.alpha.openshift.io/idled-at":null}}}""", V1Patch.PatchType.MergePatch), "web", ns, cancellationToken: cancellation);
        await Eventually.TrueAsync(async () => await OptionAsync(fixture.Lab.Zones[0], balancers[0]!, "reject") == "true", "reject on once the Service is not idled", Deadline.Long);
        Assert.False(await TrafficLab.RaisesEventsAsync(fixture.Lab.Zones[0], balancers[0]!, cancellation));

        await kubernetes.CoreV1.DeleteNamespacedServiceAsync("web", ns, cancellationToken: cancellation);

        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(fixture.Lab.Zones.Select(zone => FindAsync(zone, $"Service_{ns}/web_TCP_cluster")))).All(found => found.Length == 0),
            "the load balancers deleted with the Service", Deadline.Long);
        Assert.Null(controller.LastError);
    }

    [Fact]
    public async Task A_load_balancer_made_before_it_started_is_taken_over_by_name_and_one_it_made_goes_when_it_stops()
    {
        RealTrafficGate.Require(fixture.WhyUnavailable);
        var cancellation = TestContext.Current.CancellationToken;
        await using var api = await KubernetesApiDouble.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, cancellation);
        using var kubernetes = api.CreateClient();
        var ns = await NamespaceAsync(kubernetes);
        var zone = fixture.Lab.Zones[0];
        var early = await kubernetes.CoreV1.CreateNamespacedServiceAsync(IdledService("early"), ns, cancellationToken: cancellation);
        var made = await fixture.Lab.AddLoadBalancerAsync(zone, new LabLoadBalancerSpec
        {
            Name = $"Service_{ns}/early_TCP_cluster", Vips = [$"{early.Spec.ClusterIP}:80"], ExternalIds = LabLoadBalancerSpec.ServiceExternalIds(ns, "early"),
        }, cancellation);
        await kubernetes.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice("early-abcde", "endpointslice-controller.k8s.io", (8080, Pod)), ns, cancellationToken: cancellation);
        await kubernetes.CoreV1.CreateNamespacedServiceAsync(IdledService("late"), ns, cancellationToken: cancellation);
        string? late;
        try
        {
            await using (var controller = await LabServicesController.StartAsync(
                kubernetes, fixture.Lab, new LabServicesControllerOptions { Namespaces = [ns], Zones = [1] }, cancellationToken: cancellation).Within(Deadline.Long))
            {
                await Eventually.TrueAsync(async () => await TrafficLab.GetBackendsAsync(zone, made, $"{early.Spec.ClusterIP}:80", cancellation) == $"{Pod}:8080",
                    "the earlier load balancer written with the pod", Deadline.Long);
                late = await Eventually.ValueAsync(() => Task.FromResult(controller.LoadBalancerOf(1, ns, "late", LabProtocol.Tcp)), uuid => uuid is not null, "late's load balancer", Deadline.Long);

                Assert.Equal(made, controller.LoadBalancerOf(1, ns, "early", LabProtocol.Tcp));
                Assert.Equal([made], await FindAsync(zone, $"Service_{ns}/early_TCP_cluster"));
                Assert.Null(controller.LoadBalancerOf(2, ns, "early", LabProtocol.Tcp));
                Assert.Empty(await FindAsync(fixture.Lab.Zones[1], $"Service_{ns}/late_TCP_cluster"));
            }

            Assert.Empty(await FindAsync(zone, $"Service_{ns}/late_TCP_cluster"));
        }
        finally
        {
            await zone.NbctlAsync(["--if-exists", "lb-del", made], CancellationToken.None);
        }
    }

    private async Task BackendsInEveryZoneAsync(IReadOnlyList<string?> balancers, string vip, string expected, string what) =>
        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(fixture.Lab.Zones.Zip(balancers).Select(pair => TrafficLab.GetBackendsAsync(pair.First, pair.Second!, vip))))
                .All(backends => backends == expected),
            what, Deadline.Long);

    private static async Task<string> NamespaceAsync(IKubernetes kubernetes)
    {
        var ns = $"svc-{Guid.NewGuid().ToString("N")[..8]}";
        await kubernetes.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: TestContext.Current.CancellationToken);
        return ns;
    }

    private static async Task<string> OptionAsync(TrafficZone zone, string loadBalancer, string option) =>
        (await zone.NbctlAsync(["--if-exists", "get", "Load_Balancer", loadBalancer, $"options:{option}"], TestContext.Current.CancellationToken)).Trim().Trim('"');

    private static async Task<string[]> FindAsync(TrafficZone zone, string name) =>
        (await zone.NbctlAsync(["--bare", "--columns=_uuid", "find", "Load_Balancer", $"name=\"{name}\""], TestContext.Current.CancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static V1Service IdledService(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Annotations = new Dictionary<string, string> { ["idling.alpha.openshift.io/idled-at"] = "2026-03-01T11:00:00Z" } },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Name = "main", Port = 80, Protocol = "TCP", TargetPort = 8080 }],
        },
    };

    private static V1EndpointSlice Slice(string name, string managedBy, (int Port, string Address)? endpoint = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                ["kubernetes.io/service-name"] = name.Split('-')[0],
                ["endpointslice.kubernetes.io/managed-by"] = managedBy,
            },
        },
        AddressType = "IPv4",
        Ports = endpoint is { } some ? [new Discoveryv1EndpointPort { Name = "main", Protocol = "TCP", Port = some.Port }] : [],
        Endpoints = endpoint is { } ready
            ? [new V1Endpoint { Addresses = [ready.Address], Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false } }]
            : [],
    };
}
