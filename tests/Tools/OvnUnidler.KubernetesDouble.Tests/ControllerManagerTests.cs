using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class ControllerManagerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static KubernetesApiDoubleOptions Fast => new() { ReadyDelay = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task Scale_up_makes_a_ready_endpoint_slice_and_workload_status()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 0), "shop", cancellationToken: Ct);

        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: Ct);
        var slice = await SliceWithEndpointsAsync(client, "web", 3);
        var deployment = await Eventually.ValueAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct), d => d.Status?.ReadyReplicas == 3, "deployment web with 3 ready replicas", Deadline);

        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal("endpointslice-controller.k8s.io", slice.Metadata.Labels["endpointslice.kubernetes.io/managed-by"]);
        Assert.Equal("web", slice.Metadata.OwnerReferences.Single().Name);
        var port = Assert.Single(slice.Ports);
        Assert.Equal(("http", 8080, "TCP"), (port.Name, port.Port, port.Protocol));
        Assert.All(slice.Endpoints, endpoint => Assert.True(endpoint.Conditions.Ready));
        Assert.Equal(3, slice.Endpoints.Select(endpoint => endpoint.Addresses.Single()).Distinct().Count());
        Assert.Equal(3, deployment.Status.AvailableReplicas);
        Assert.Equal(deployment.Metadata.Generation, deployment.Status.ObservedGeneration);
    }

    [Fact]
    public async Task Scale_to_zero_empties_the_slice_and_scaling_up_again_fills_it()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 2), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await SliceWithEndpointsAsync(client, "web", 2);

        await ScaleAsync(client, "web", 0);
        var empty = await SliceWithEndpointsAsync(client, "web", 0);
        var idle = await Eventually.ValueAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct), d => d.Status?.ReadyReplicas is null or 0, "deployment web with no ready replicas", Deadline);
        await ScaleAsync(client, "web", 1);
        var woken = await SliceWithEndpointsAsync(client, "web", 1);

        Assert.Equal(empty.Metadata.Name, woken.Metadata.Name);
        // The real controller's placeholder slice names no ports (ovn-kubernetes reads port numbers from every slice).
        Assert.Empty(empty.Ports ?? []);
        Assert.Equal(8080, Assert.Single(woken.Ports).Port);
        Assert.Null(idle.Status.Replicas);
        Assert.True(woken.Endpoints.Single().Conditions.Ready);
    }

    [Fact]
    public async Task A_service_created_for_a_running_workload_gets_endpoints()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedStatefulSetAsync(Models.StatefulSet("db", 2, "db"), "shop", cancellationToken: Ct);
        await Eventually.ValueAsync(
            () => client.AppsV1.ReadNamespacedStatefulSetAsync("db", "shop", cancellationToken: Ct), s => s.Status?.ReadyReplicas == 2, "statefulset db with 2 ready replicas", Deadline);

        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("db", "db", 5432, 5432), "shop", cancellationToken: Ct);
        var slice = await SliceWithEndpointsAsync(client, "db", 2);

        Assert.Equal(["db-0", "db-1"], slice.Endpoints.Select(endpoint => endpoint.TargetRef.Name).ToArray());
        Assert.Equal(5432, slice.Ports.Single().Port);
    }

    [Fact]
    public async Task Only_services_whose_selector_matches_the_pod_template_get_its_endpoints()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("other", "other"), "shop", cancellationToken: Ct);
        var tierOnly = Models.Service("backend");
        tierOnly.Spec.Selector = new Dictionary<string, string> { ["tier"] = "backend" };
        await client.CoreV1.CreateNamespacedServiceAsync(tierOnly, "shop", cancellationToken: Ct);

        await client.CoreV1.CreateNamespacedReplicationControllerAsync(Models.ReplicationController("web", 1, "web"), "shop", cancellationToken: Ct);
        await SliceWithEndpointsAsync(client, "web", 1);
        await SliceWithEndpointsAsync(client, "backend", 1);
        var other = await SliceWithEndpointsAsync(client, "other", 0);

        Assert.Empty(other.Endpoints);
    }

    [Fact]
    public async Task Changing_the_pod_labels_of_a_workload_moves_its_endpoints_to_the_services_that_now_select_it()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("other", "other"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedReplicationControllerAsync(Models.ReplicationController("pods", 2, "web"), "shop", cancellationToken: Ct);
        await SliceWithEndpointsAsync(client, "web", 2);

        await client.CoreV1.PatchNamespacedReplicationControllerAsync(
            new V1Patch("""{"spec":{"selector":{"app":"other"},"template":{"metadata":{"labels":{"app":"other"}}}}}""", V1Patch.PatchType.MergePatch),
            "pods", "shop", cancellationToken: Ct);

        var other = await SliceWithEndpointsAsync(client, "other", 2);
        var web = await SliceWithEndpointsAsync(client, "web", 0);
        Assert.Empty(web.Endpoints ?? []);
        Assert.All(other.Endpoints, endpoint => Assert.StartsWith("pods-", endpoint.TargetRef.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_a_workload_empties_the_slices_of_the_services_that_selected_it_and_no_other()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("db", "db", 5432, 5432), "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 2), "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedStatefulSetAsync(Models.StatefulSet("db", 1, "db"), "shop", cancellationToken: Ct);
        await SliceWithEndpointsAsync(client, "web", 2);
        var before = await SliceWithEndpointsAsync(client, "db", 1);

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);

        await SliceWithEndpointsAsync(client, "web", 0);
        var after = await SliceWithEndpointsAsync(client, "db", 1);
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task An_ipv6_service_gets_an_ipv6_slice_and_a_named_target_port_uses_the_service_port()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        var service = Models.Service("web", targetPort: "http");
        service.Spec.IpFamilies = ["IPv6"];
        var created = await client.CoreV1.CreateNamespacedServiceAsync(service, "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);

        var slice = await SliceWithEndpointsAsync(client, "web", 1);

        Assert.Contains(':', created.Spec.ClusterIP);
        Assert.Equal("IPv6", slice.AddressType);
        Assert.Contains(':', slice.Endpoints.Single().Addresses.Single());
        Assert.Equal(80, slice.Ports.Single().Port);
    }

    [Fact]
    public async Task Deleting_a_service_deletes_its_slices()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await SliceWithEndpointsAsync(client, "web", 0);

        await client.CoreV1.DeleteNamespacedServiceAsync("web", "shop", cancellationToken: Ct);

        await Eventually.ValueAsync(
            () => client.DiscoveryV1.ListNamespacedEndpointSliceAsync("shop", cancellationToken: Ct), list => list.Items.Count == 0, "no EndpointSlices left in shop", Deadline);
    }

    [Fact]
    public async Task A_paused_controller_manager_acts_only_after_resume()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await SliceWithEndpointsAsync(client, "web", 0);

        api.ControllerManager.Pause();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 2), "shop", cancellationToken: Ct);
        var observed = new List<int>();
        var window = DateTime.UtcNow + (api.ControllerManager.ReadyDelay * 6);
        while (DateTime.UtcNow < window)
        {
            observed.Add((await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("shop", cancellationToken: Ct)).Items.Single().Endpoints?.Count ?? 0);
            await Task.Delay(20, Ct);
        }

        api.ControllerManager.Resume();
        await SliceWithEndpointsAsync(client, "web", 2);

        Assert.True(api.ControllerManager.ReadyDelay > TimeSpan.Zero);
        Assert.All(observed, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Ready_delay_can_be_changed_while_running()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { ReadyDelay = TimeSpan.FromMinutes(10) }, Ct);
        var client = api.CreateClient();
        api.ControllerManager.ReadyDelay = TimeSpan.Zero;

        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);

        await SliceWithEndpointsAsync(client, "web", 1);
    }

    [Fact]
    public async Task Without_the_controller_manager_nothing_becomes_ready()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);

        api.ControllerManager.Enabled = true;
        var slice = await SliceWithEndpointsAsync(client, "web", 1);

        Assert.False(api.ControllerManager.IsPaused);
        Assert.Single(slice.Endpoints);
    }

    [Fact]
    public async Task Without_the_simulated_kubelet_pods_wait_for_an_outside_kubelet_and_endpoints_follow_the_status_it_writes()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { SimulateKubelet = false, ReadyDelay = TimeSpan.Zero }, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        var pod = (await Eventually.ValueAsync(
            () => client.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: Ct), pods => pods.Items.Count == 1, "the pod created", Deadline)).Items[0];
        var notReady = await SliceWithEndpointsAsync(client, "web", 0);

        await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""
            {"status":{"phase":"Running","podIP":"10.244.2.10","podIPs":[{"ip":"10.244.2.10"}],
              "conditions":[{"type":"Ready","status":"True"},{"type":"ContainersReady","status":"True"}]}}
            """, V1Patch.PatchType.MergePatch), pod.Metadata.Name, "shop", cancellationToken: Ct);
        var ready = await SliceWithEndpointsAsync(client, "web", 1);
        var deployment = await Eventually.ValueAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct), d => d.Status?.ReadyReplicas == 1, "deployment web with 1 ready replica", Deadline);

        Assert.Null(pod.Status?.PodIP);
        Assert.Empty(notReady.Endpoints ?? []);
        Assert.Equal("10.244.2.10", ready.Endpoints.Single().Addresses.Single());
        Assert.Equal(pod.Metadata.Name, ready.Endpoints.Single().TargetRef.Name);
        Assert.Equal(1, deployment.Status.ReadyReplicas);
    }

    [Fact]
    public async Task Lists_a_pod_with_an_address_that_is_not_ready_as_not_ready_and_not_serving_with_the_ports_then_ready_and_drops_it_when_terminal()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { SimulateKubelet = false, ReadyDelay = TimeSpan.Zero }, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        var pod = (await Eventually.ValueAsync(
            () => client.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: Ct), pods => pods.Items.Count == 1, "the pod created", Deadline)).Items[0];
        var placeholder = await SliceWithEndpointsAsync(client, "web", 0);

        await PatchStatusAsync(client, pod.Metadata.Name, "Running", ready: false);
        var starting = await SliceWithEndpointsAsync(client, "web", 1);
        await PatchStatusAsync(client, pod.Metadata.Name, "Running", ready: true);
        var ready = await Eventually.ValueAsync(() => SliceWithEndpointsAsync(client, "web", 1), slice => slice.Endpoints.Single().Conditions.Ready == true, "the endpoint ready", Deadline);
        await PatchStatusAsync(client, pod.Metadata.Name, "Failed", ready: false);
        await SliceWithEndpointsAsync(client, "web", 0);

        Assert.Empty(placeholder.Ports ?? []);
        var endpoint = starting.Endpoints.Single();
        Assert.Equal("10.244.2.10", endpoint.Addresses.Single());
        Assert.Equal((false, false, false), (endpoint.Conditions.Ready, endpoint.Conditions.Serving, endpoint.Conditions.Terminating));
        Assert.Equal(("http", 8080), (starting.Ports.Single().Name, starting.Ports.Single().Port));
        Assert.Equal((true, true, false), (ready.Endpoints.Single().Conditions.Ready, ready.Endpoints.Single().Conditions.Serving, ready.Endpoints.Single().Conditions.Terminating));
    }

    private static Task PatchStatusAsync(IKubernetes client, string pod, string phase, bool ready)
    {
        var status = ready ? "True" : "False";
        return client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch($$$"""
            {"status":{"phase":"{{{phase}}}","podIP":"10.244.2.10","podIPs":[{"ip":"10.244.2.10"}],
              "conditions":[{"type":"Ready","status":"{{{status}}}"},{"type":"ContainersReady","status":"{{{status}}}"}]}}
            """, V1Patch.PatchType.MergePatch), pod, "shop", cancellationToken: Ct);
    }

    private static Task ScaleAsync(IKubernetes client, string name, int replicas) =>
        client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch), name, "shop", cancellationToken: Ct);

    private static async Task<V1EndpointSlice> SliceWithEndpointsAsync(IKubernetes client, string service, int count)
    {
        var list = await Eventually.ValueAsync(
            () => client.DiscoveryV1.ListNamespacedEndpointSliceAsync("shop", labelSelector: $"kubernetes.io/service-name={service}", cancellationToken: Ct),
            slices => slices.Items.Count == 1 && (slices.Items[0].Endpoints?.Count ?? 0) == count,
            "one EndpointSlice of the service with the expected endpoints",
            Deadline);
        return list.Items[0];
    }
}
