using System.Collections.Concurrent;

namespace OvnUnidler.KubernetesDouble.Storage;

// The resources the double serves, looked up by the URL's group, version and plural. Custom
// resources may be added while requests are served (a CRD becoming established), hence the
// concurrent maps; nothing is ever removed.
internal sealed class ResourceCatalog
{
    private const string CoreEventsStorage = "/events";

    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), ResourceType> byPath = new();
    private readonly ConcurrentDictionary<string, ResourceType> storageTypes = new(StringComparer.Ordinal);

    public ResourceCatalog(IEnumerable<CustomResourceType> customResources)
    {
        var workload = new ResourceType("apps", "v1", "deployments", "Deployment", Namespaced: true,
            HasStatusSubresource: true, Scale: ScaleSelectorStyle.LabelSelector, TracksGeneration: true);
        Add(new ResourceType("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatusSubresource: true));
        Add(new ResourceType("", "v1", "services", "Service", Namespaced: true, HasStatusSubresource: true, ReturnsDeletedObject: true));
        Add(new ResourceType("", "v1", "events", "Event", Namespaced: true, SharedStorage: CoreEventsStorage));
        Add(new ResourceType("", "v1", "replicationcontrollers", "ReplicationController", Namespaced: true,
            HasStatusSubresource: true, Scale: ScaleSelectorStyle.LabelMap, TracksGeneration: true));
        Add(new ResourceType("", "v1", "pods", "Pod", Namespaced: true, HasStatusSubresource: true, ReturnsDeletedObject: true));
        Add(new ResourceType("", "v1", "endpoints", "Endpoints", Namespaced: true));
        Add(new ResourceType("", "v1", "configmaps", "ConfigMap", Namespaced: true));
        Add(new ResourceType("", "v1", "secrets", "Secret", Namespaced: true));
        Add(new ResourceType("", "v1", "nodes", "Node", Namespaced: false, HasStatusSubresource: true));
        Add(workload);
        Add(workload with { Plural = "statefulsets", Kind = "StatefulSet" });
        Add(workload with { Plural = "replicasets", Kind = "ReplicaSet" });
        Add(new ResourceType("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", Namespaced: true));
        Add(new ResourceType("events.k8s.io", "v1", "events", "Event", Namespaced: true, SharedStorage: CoreEventsStorage));
        Add(new ResourceType("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true));
        Add(new ResourceType("apps.openshift.io", "v1", "deploymentconfigs", "DeploymentConfig", Namespaced: true,
            HasStatusSubresource: true, Scale: ScaleSelectorStyle.LabelMap, TracksGeneration: true));
        foreach (var custom in customResources)
        {
            AddCustom(custom);
        }

        CoreEvents = Find("", "v1", "events")!;
        EventsV1 = Find("events.k8s.io", "v1", "events")!;
        Namespaces = Find("", "v1", "namespaces")!;
        Services = Find("", "v1", "services")!;
        EndpointSlices = Find("discovery.k8s.io", "v1", "endpointslices")!;
    }

    public ResourceType CoreEvents { get; }

    public ResourceType EventsV1 { get; }

    public ResourceType Namespaces { get; }

    public ResourceType Services { get; }

    public ResourceType EndpointSlices { get; }

    public IEnumerable<ResourceType> All => byPath.Values;

    public IEnumerable<ResourceType> Scalables => byPath.Values.Where(type => type.HasScaleSubresource);

    public ResourceType? Find(string group, string version, string plural) =>
        byPath.GetValueOrDefault((group, version, plural));

    public bool HasGroupVersion(string group, string version) =>
        byPath.Keys.Any(key => key.Group == group && key.Version == version);

    public void AddCustom(CustomResourceType custom) =>
        Add(new ResourceType(custom.Group, custom.Version, custom.Plural, custom.Kind, custom.Namespaced,
            HasStatusSubresource: custom.HasStatusSubresource, TracksGeneration: true,
            AllowUnconditionalUpdate: false, ReturnsDeletedObject: true, IsCustom: true));

    // The representation written to storage: for events that is core/v1, whichever API wrote it.
    public ResourceType StorageTypeOf(ResourceType type) => storageTypes[type.StorageKey];

    private void Add(ResourceType type)
    {
        byPath[(type.Group, type.Version, type.Plural)] = type;
        storageTypes.TryAdd(type.StorageKey, type);
    }
}
