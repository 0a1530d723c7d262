namespace OvnUnidler.KubernetesDouble.Storage;

// One REST resource as the API server registers it. Two representations can share one storage
// (core/v1 and events.k8s.io/v1 events), as they share one etcd key space in a real cluster.
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatusSubresource = false,
    ScaleSelectorStyle Scale = ScaleSelectorStyle.None,
    bool TracksGeneration = false,
    bool AllowUnconditionalUpdate = true,
    bool ReturnsDeletedObject = false,
    bool IsCustom = false,
    string? SharedStorage = null)
{
    // Discovery's shortNames and categories ("kubectl get svc", "kubectl get all").
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    // Set for a resource served from a CustomResourceDefinition: its schema, subresources and columns.
    public CustomResources.CustomResourceDefinition? Definition { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Definition?.ListKind ?? Kind + "List";

    // "deployments.apps", "services": how the API server names a resource in messages.
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    // "Deployment.apps", "Service": how Invalid messages name the kind.
    public string GroupKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string Singular => Definition?.Singular ?? Kind.ToLowerInvariant();

    public string StorageKey => SharedStorage ?? $"{Group}/{Plural}";

    public bool HasScaleSubresource => Scale != ScaleSelectorStyle.None;

    public bool SupportsStrategicMergePatch => !IsCustom;

    public bool IsScalable => HasScaleSubresource;
}
