using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble.ControllerManager;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class WorkloadObjectTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static KubernetesApiDoubleOptions Fast => new() { ReadyDelay = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task A_deployment_owns_a_replica_set_that_owns_ready_pods_the_endpoint_slice_points_at()
    {
        await using var api = await KubernetesApiDouble.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "default", cancellationToken: Ct);
        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 2), "default", cancellationToken: Ct);

        var available = await Eventually.ValueAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "default", cancellationToken: Ct),
            d => d.Status?.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") == true && d.Status.ReadyReplicas == 2, "web Available with 2 ready replicas", Deadline);
        var replicaSet = (await client.AppsV1.ListNamespacedReplicaSetAsync("default", cancellationToken: Ct)).Items.Single();
        var pods = (await client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: Ct)).Items;
        var slice = await Eventually.ValueAsync(() => client.DiscoveryV1.ListNamespacedEndpointSliceAsync("default", labelSelector: "kubernetes.io/service-name=web", cancellationToken: Ct),
            list => list.Items.Single().Endpoints?.Count == 2, "two endpoints for web", Deadline);

        var owner = replicaSet.Metadata.OwnerReferences.Single();
        Assert.Equal(("Deployment", "web", deployment.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller ?? false));
        Assert.StartsWith("web-", replicaSet.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(replicaSet.Metadata.Labels["pod-template-hash"], replicaSet.Spec.Selector.MatchLabels["pod-template-hash"]);
        Assert.Equal(2, pods.Count);
        Assert.All(pods, pod =>
        {
            Assert.Equal(replicaSet.Metadata.Uid, pod.Metadata.OwnerReferences.Single().Uid);
            Assert.StartsWith(replicaSet.Metadata.Name + "-", pod.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal("Running", pod.Status.Phase);
            Assert.Contains(pod.Status.Conditions, condition => condition.Type == "Ready" && condition.Status == "True");
        });
        Assert.Equal(
            pods.Select(pod => (pod.Metadata.Name, pod.Metadata.Uid, pod.Status.PodIP)).OrderBy(pod => pod.Name).ToList(),
            slice.Items.Single().Endpoints.Select(endpoint => (endpoint.TargetRef.Name, endpoint.TargetRef.Uid, endpoint.Addresses.Single())).OrderBy(pod => pod.Name).ToList());
        Assert.Contains(available.Status.Conditions, condition => condition.Type == "Progressing" && condition.Reason == "NewReplicaSetAvailable");
    }

    [Fact]
    public async Task Scaling_down_deletes_pods_and_deleting_the_owner_collects_its_dependents()
    {
        await using var api = await KubernetesApiDouble.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedStatefulSetAsync(Models.StatefulSet("db", 3, "db"), "default", cancellationToken: Ct);
        await PodsAsync(client, 3);
        var configMap = Models.ConfigMap("db-settings");
        var statefulSet = await client.AppsV1.ReadNamespacedStatefulSetAsync("db", "default", cancellationToken: Ct);
        configMap.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "db", Uid = statefulSet.Metadata.Uid }];
        await client.CoreV1.CreateNamespacedConfigMapAsync(configMap, "default", cancellationToken: Ct);

        await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "db", "default", cancellationToken: Ct);
        var remaining = await PodsAsync(client, 1);
        await client.AppsV1.DeleteNamespacedStatefulSetAsync("db", "default", cancellationToken: Ct);

        Assert.Equal("db-0", remaining.Single().Metadata.Name);
        await PodsAsync(client, 0);
        await Eventually.TrueAsync(async () => (await client.CoreV1.ListNamespacedConfigMapAsync("default", cancellationToken: Ct)).Items.Count == 0,
            "the config map owned by the stateful set collected", Deadline);
    }

    [Fact]
    public async Task A_deleted_pod_is_replaced_and_deleting_a_deployment_deletes_its_replica_set_and_pods()
    {
        await using var api = await KubernetesApiDouble.StartAsync(Fast, Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "default", cancellationToken: Ct);
        var first = (await PodsAsync(client, 1)).Single();

        await client.CoreV1.DeleteNamespacedPodAsync(first.Metadata.Name, "default", cancellationToken: Ct);
        var replacement = await Eventually.ValueAsync(() => client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: Ct),
            list => list.Items.Count == 1 && list.Items[0].Metadata.Name != first.Metadata.Name, "a replacement pod", Deadline);
        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "default", cancellationToken: Ct);

        await PodsAsync(client, 0);
        await Eventually.TrueAsync(async () => (await client.AppsV1.ListNamespacedReplicaSetAsync("default", cancellationToken: Ct)).Items.Count == 0,
            "the replica set collected", Deadline);
        Assert.NotEqual(first.Status.PodIP, replacement.Items[0].Status.PodIP);
    }

    [Fact]
    public async Task Pod_addresses_come_from_the_plugged_in_allocator()
    {
        var allocator = new FixedAddresses();
        await using var api = await KubernetesApiDouble.StartAsync(new KubernetesApiDoubleOptions { ReadyDelay = TimeSpan.FromMilliseconds(50), PodAddresses = allocator }, Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedReplicationControllerAsync(Models.ReplicationController("legacy", 2, "legacy"), "default", cancellationToken: Ct);

        var pods = await PodsAsync(client, 2);
        await client.CoreV1.PatchNamespacedReplicationControllerScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "legacy", "default", cancellationToken: Ct);
        await PodsAsync(client, 1);

        Assert.Equal(["192.0.2.1", "192.0.2.2"], pods.Select(pod => pod.Status.PodIP).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["legacy"], allocator.Requests.Select(request => request.OwnerName).Distinct().ToArray());
        Assert.Single(allocator.Released);
    }

    private static async Task<IList<V1Pod>> PodsAsync(IKubernetes client, int count) =>
        (await Eventually.ValueAsync(() => client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: Ct),
            list => list.Items.Count == count && list.Items.All(pod => pod.Status?.Phase == "Running"), $"{count} running pods", Deadline)).Items;

    private sealed class FixedAddresses : IPodAddressAllocator
    {
        private int next;

        public List<PodAddressRequest> Requests { get; } = [];

        public List<PodAddresses> Released { get; } = [];

        public PodAddresses Allocate(PodAddressRequest request)
        {
            Requests.Add(request);
            return new PodAddresses($"192.0.2.{++next}", null);
        }

        public void Release(PodAddresses addresses) => Released.Add(addresses);
    }
}
