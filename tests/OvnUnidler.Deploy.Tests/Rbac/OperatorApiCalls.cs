using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Deploy.Tests.Rbac;

/// <summary>
/// Every Kubernetes API request the operator can make while running (`ovn-unidler run`), derived
/// from its source: src/OvnUnidler.Operator (Cluster/ClusterView, Controllers/) and
/// src/OvnUnidler.Idling (Waking/, Idle/, Scaling/WorkloadClient) and LeaderElection/.
/// deploy/ grants exactly these; the tests fail when source, this list or deploy/ drift.
/// </summary>
public static class OperatorApiCalls
{
    public static IReadOnlyList<ApiCall> All { get; } =
    [
        // Cluster/ClusterView: the Service and EndpointSlice views (cluster-wide, or per namespace
        // of Unidler:Namespaces).
        new("", "services", null, "list", "CoreV1.ListServiceForAllNamespacesAsync"),
        new("", "services", null, "list", "CoreV1.ListNamespacedServiceAsync"),
        new("", "services", null, "watch", "CoreV1.WatchListServiceForAllNamespacesAsync"),
        new("", "services", null, "watch", "CoreV1.WatchListNamespacedServiceAsync"),
        new("discovery.k8s.io", "endpointslices", null, "list", "DiscoveryV1.ListEndpointSliceForAllNamespacesAsync"),
        new("discovery.k8s.io", "endpointslices", null, "list", "DiscoveryV1.ListNamespacedEndpointSliceAsync"),
        new("discovery.k8s.io", "endpointslices", null, "watch", "DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync"),
        new("discovery.k8s.io", "endpointslices", null, "watch", "DiscoveryV1.WatchListNamespacedEndpointSliceAsync"),

        // ServiceWaker / ServiceIdler / IdlerController: one Service read fresh, its idle
        // annotations merge-patched conditionally on its resourceVersion.
        new("", "services", null, "get", "CoreV1.ReadNamespacedServiceAsync"),
        new("", "services", null, "patch", "CoreV1.PatchNamespacedServiceAsync"),

        // ServiceWaker.RecordNeedPodsAsync: the NeedPods core/v1 Event.
        new("", "events", null, "create", "CoreV1.CreateNamespacedEventAsync"),

        // WorkloadDiscovery: the workloads a Service's selector selects, by listing every kind.
        new("apps", "deployments", null, "list", "AppsV1.ListNamespacedDeploymentAsync"),
        new("apps", "statefulsets", null, "list", "AppsV1.ListNamespacedStatefulSetAsync"),
        new("apps", "replicasets", null, "list", "AppsV1.ListNamespacedReplicaSetAsync"),
        new("", "replicationcontrollers", null, "list", "CoreV1.ListNamespacedReplicationControllerAsync"),
        new("apps.openshift.io", "deploymentconfigs", null, "list", "CustomObjects.ListNamespacedCustomObjectAsync"),

        // WorkloadClient.ReadScaleAsync / WriteScaleAsync: the scale subresource, read then replaced
        // conditionally on its resourceVersion.
        new("apps", "deployments", "scale", "get", "AppsV1.ReadNamespacedDeploymentScaleAsync"),
        new("apps", "deployments", "scale", "update", "AppsV1.ReplaceNamespacedDeploymentScaleAsync"),
        new("apps", "statefulsets", "scale", "get", "AppsV1.ReadNamespacedStatefulSetScaleAsync"),
        new("apps", "statefulsets", "scale", "update", "AppsV1.ReplaceNamespacedStatefulSetScaleAsync"),
        new("apps", "replicasets", "scale", "get", "AppsV1.ReadNamespacedReplicaSetScaleAsync"),
        new("apps", "replicasets", "scale", "update", "AppsV1.ReplaceNamespacedReplicaSetScaleAsync"),
        new("", "replicationcontrollers", "scale", "get", "CoreV1.ReadNamespacedReplicationControllerScaleAsync"),
        new("", "replicationcontrollers", "scale", "update", "CoreV1.ReplaceNamespacedReplicationControllerScaleAsync"),
        new("apps.openshift.io", "deploymentconfigs", "scale", "get", "CustomObjects.GetNamespacedCustomObjectScaleAsync"),
        new("apps.openshift.io", "deploymentconfigs", "scale", "update", "CustomObjects.ReplaceNamespacedCustomObjectScaleAsync"),

        // WorkloadClient.PatchAnnotationsAsync, for the kinds that carry previous-scale.
        new("", "replicationcontrollers", null, "patch", "CoreV1.PatchNamespacedReplicationControllerAsync"),
        new("apps.openshift.io", "deploymentconfigs", null, "patch", "CustomObjects.PatchNamespacedCustomObjectAsync"),

        // EntityControllerRunner<V1Alpha1Idler> and IdlerController.
        new("unidler.ovn.org", "idlers", null, "list", "CustomObjects.ListCustomObjectForAllNamespacesAsync"),
        new("unidler.ovn.org", "idlers", null, "watch", "CustomObjects.WatchListCustomObjectForAllNamespacesAsync"),
        new("unidler.ovn.org", "idlers", null, "get", "CustomObjects.GetNamespacedCustomObjectAsync"),
        new("unidler.ovn.org", "idlers", null, "list", "CustomObjects.ListNamespacedCustomObjectAsync"),
        new("unidler.ovn.org", "idlers", "status", "patch", "CustomObjects.PatchNamespacedCustomObjectStatusAsync"),

        // LeaderElection/KubernetesLeaseClient: reads, creates and replaces its Leases, in
        // LeaderElection:LeaseNamespace (the pod's namespace).
        new("coordination.k8s.io", "leases", null, "get", "CoordinationV1.ReadNamespacedLeaseAsync", InOwnNamespace: true, LeaseNames: true),
        new("coordination.k8s.io", "leases", null, "create", "CoordinationV1.CreateNamespacedLeaseAsync", InOwnNamespace: true),
        new("coordination.k8s.io", "leases", null, "update", "CoordinationV1.ReplaceNamespacedLeaseAsync", InOwnNamespace: true, LeaseNames: true),
    ];

    /// <summary>
    /// Client methods that occur in the source but that the operator never calls for the kinds
    /// named, so granting them would be more than it needs. Each carries the condition that keeps
    /// it unreachable; a test checks every condition.
    /// </summary>
    public static IReadOnlyList<(string CallSite, string Why, Func<bool> StillUnreachable)> Unreachable { get; } =
    [
        ("AppsV1.PatchNamespacedDeploymentAsync", "WorkloadClient.PatchAnnotationsAsync runs only for kinds that carry previous-scale", () => !ScalableKind.Deployment.CarriesPreviousScale),
        ("AppsV1.PatchNamespacedStatefulSetAsync", "WorkloadClient.PatchAnnotationsAsync runs only for kinds that carry previous-scale", () => !ScalableKind.StatefulSet.CarriesPreviousScale),
        ("AppsV1.PatchNamespacedReplicaSetAsync", "WorkloadClient.PatchAnnotationsAsync runs only for kinds that carry previous-scale", () => !ScalableKind.ReplicaSet.CarriesPreviousScale),
    ];

    /// <summary>The verbs the operator uses at all; its roles may grant no other.</summary>
    public static IReadOnlySet<string> Verbs { get; } = All.Select(call => call.Verb).ToHashSet(StringComparer.Ordinal);

    /// <summary>The permissions deploy/ must grant, flattened as <see cref="ClusterRoleRules"/> flattens roles.</summary>
    public static IReadOnlySet<RbacPermission> Permissions(string ownNamespace, IReadOnlyCollection<string> leaseNames) =>
        All.SelectMany(call => call.LeaseNames
                ? leaseNames.Select(name => new RbacPermission(call.Group, call.Resource, call.Subresource, call.Verb, ownNamespace, name))
                : [new RbacPermission(call.Group, call.Resource, call.Subresource, call.Verb, call.InOwnNamespace ? ownNamespace : null)])
            .ToHashSet();
}
