using System.Collections.Frozen;

namespace OvnUnidler.KubernetesDouble.Storage;

// The resources the double serves, looked up by the URL's group, version and plural. The
// built-in ones are fixed; CustomResourceDefinitions add and remove theirs while the double
// runs, so readers see an immutable snapshot that a writer swaps whole.
internal sealed class ResourceCatalog
{
    private const string CoreEventsStorage = "/events";
    private static readonly string[] All_ = ["all"];

    private readonly Lock writer = new();
    private volatile Snapshot current;

    public ResourceCatalog(bool serveOpenShiftApps = true)
    {
        var types = new List<ResourceType>();
        var workload = new ResourceType("apps", "v1", "deployments", "Deployment", Namespaced: true,
            HasStatusSubresource: true, Scale: ScaleSelectorStyle.LabelSelector, TracksGeneration: true) { ShortNames = ["deploy"], Categories = All_ };
        types.Add(new ResourceType("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatusSubresource: true) { ShortNames = ["ns"] });
        types.Add(new ResourceType("", "v1", "services", "Service", Namespaced: true, HasStatusSubresource: true, ReturnsDeletedObject: true) { ShortNames = ["svc"], Categories = All_ });
        types.Add(new ResourceType("", "v1", "events", "Event", Namespaced: true, SharedStorage: CoreEventsStorage) { ShortNames = ["ev"] });
        types.Add(new ResourceType("", "v1", "replicationcontrollers", "ReplicationController", Namespaced: true,
            HasStatusSubresource: true, Scale: ScaleSelectorStyle.LabelMap, TracksGeneration: true) { ShortNames = ["rc"], Categories = All_ });
        types.Add(new ResourceType("", "v1", "pods", "Pod", Namespaced: true, HasStatusSubresource: true, ReturnsDeletedObject: true) { ShortNames = ["po"], Categories = All_ });
        types.Add(new ResourceType("", "v1", "endpoints", "Endpoints", Namespaced: true) { ShortNames = ["ep"] });
        types.Add(new ResourceType("", "v1", "configmaps", "ConfigMap", Namespaced: true) { ShortNames = ["cm"] });
        types.Add(new ResourceType("", "v1", "secrets", "Secret", Namespaced: true));
        types.Add(new ResourceType("", "v1", "nodes", "Node", Namespaced: false, HasStatusSubresource: true) { ShortNames = ["no"] });
        types.Add(workload);
        types.Add(workload with { Plural = "statefulsets", Kind = "StatefulSet", ShortNames = ["sts"] });
        types.Add(workload with { Plural = "replicasets", Kind = "ReplicaSet", ShortNames = ["rs"] });
        types.Add(new ResourceType("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", Namespaced: true));
        types.Add(new ResourceType("events.k8s.io", "v1", "events", "Event", Namespaced: true, SharedStorage: CoreEventsStorage) { ShortNames = ["ev"] });
        types.Add(new ResourceType("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true));
        types.Add(new ResourceType("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", Namespaced: true) { ShortNames = ["netpol"] });
        if (serveOpenShiftApps)
        {
            types.Add(new ResourceType("apps.openshift.io", "v1", "deploymentconfigs", "DeploymentConfig", Namespaced: true,
                HasStatusSubresource: true, Scale: ScaleSelectorStyle.LabelMap, TracksGeneration: true) { ShortNames = ["dc"], Categories = All_ });
        }
        types.Add(new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false,
            HasStatusSubresource: true, TracksGeneration: true, ReturnsDeletedObject: true) { ShortNames = ["crd", "crds"], Categories = ["api-extensions"] });
        types.AddRange(Authorization.AccessResourceTypes.All);
        current = new Snapshot(types);

        CoreEvents = Find("", "v1", "events")!;
        EventsV1 = Find("events.k8s.io", "v1", "events")!;
        Namespaces = Find("", "v1", "namespaces")!;
        Services = Find("", "v1", "services")!;
        Pods = Find("", "v1", "pods")!;
        EndpointSlices = Find("discovery.k8s.io", "v1", "endpointslices")!;
        ReplicaSets = Find("apps", "v1", "replicasets")!;
        CustomResourceDefinitions = Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
    }

    public ResourceType CoreEvents { get; }

    public ResourceType EventsV1 { get; }

    public ResourceType Namespaces { get; }

    public ResourceType Services { get; }

    public ResourceType Pods { get; }

    public ResourceType EndpointSlices { get; }

    public ResourceType ReplicaSets { get; }

    public ResourceType CustomResourceDefinitions { get; }

    public IEnumerable<ResourceType> All => current.Types;

    // The built-in workloads whose pods the simulated controllers run (custom resources with a
    // scale subresource have no controller here).
    public IEnumerable<ResourceType> Scalables => current.Types.Where(type => type.HasScaleSubresource && !type.IsCustom);

    public ResourceType? Find(string group, string version, string plural) =>
        current.ByPath.GetValueOrDefault((group, version, plural));

    public bool HasGroupVersion(string group, string version) => current.GroupVersions.Contains((group, version));

    // The representation written to storage: for events that is core/v1, whichever API wrote it.
    public ResourceType StorageTypeOf(ResourceType type) => current.StorageTypes.GetValueOrDefault(type.StorageKey) ?? type;

    // Serves the versions of a CustomResourceDefinition in place of what it served before.
    public void Replace(string definitionName, IReadOnlyList<ResourceType> served)
    {
        lock (writer)
        {
            var kept = current.Types.Where(type => type.Definition?.Name != definitionName);
            current = new Snapshot([.. kept, .. served]);
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<ResourceType> types)
        {
            Types = types;
            ByPath = types.ToFrozenDictionary(type => (type.Group, type.Version, type.Plural));
            var storage = new Dictionary<string, ResourceType>(StringComparer.Ordinal);
            foreach (var type in types)
            {
                // The storage version of a CRD (or the first representation of a shared storage).
                if (type.Definition is { } definition ? type.Version == definition.StorageVersion : !storage.ContainsKey(type.StorageKey))
                {
                    storage[type.StorageKey] = type;
                }
            }

            StorageTypes = storage.ToFrozenDictionary(StringComparer.Ordinal);
            GroupVersions = types.Select(type => (type.Group, type.Version)).ToFrozenSet();
        }

        public IReadOnlyList<ResourceType> Types { get; }

        public FrozenDictionary<(string Group, string Version, string Plural), ResourceType> ByPath { get; }

        public FrozenDictionary<string, ResourceType> StorageTypes { get; }

        public FrozenSet<(string Group, string Version)> GroupVersions { get; }
    }
}
