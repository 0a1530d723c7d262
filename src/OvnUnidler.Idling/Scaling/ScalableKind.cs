namespace OvnUnidler.Idling.Scaling;

// A workload kind as `oc idle` records it: a kind and an API group (oc's CrossGroupObjectReference
// without the name). Any kind whose resource serves a scale subresource can be idled and woken,
// as OpenShift's unidling controller scales any recorded kind through /scale; which resource and
// version serve it is asked of API discovery when it is used (WorkloadClient).
public sealed record ScalableKind(string Kind, string Group)
{
    public static ScalableKind Deployment { get; } = new("Deployment", "apps");

    public static ScalableKind StatefulSet { get; } = new("StatefulSet", "apps");

    public static ScalableKind ReplicaSet { get; } = new("ReplicaSet", "apps");

    public static ScalableKind ReplicationController { get; } = new("ReplicationController", "");

    public static ScalableKind DeploymentConfig { get; } = new("DeploymentConfig", "apps.openshift.io");

    // The kinds the shipped RBAC covers (deploy/common/clusterrole.yaml); others need a grant.
    public static IReadOnlyList<ScalableKind> WellKnown { get; } = [Deployment, StatefulSet, ReplicaSet, ReplicationController, DeploymentConfig];

    // `oc idle` stamps previous-scale and idled-at on these two kinds only, and OpenShift's
    // unidling controller removes them again when it scales them up.
    public bool CarriesPreviousScale => this == ReplicationController || this == DeploymentConfig;

    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    // A recorded kind: the group as written, else the group of the apiVersion as written (the
    // deprecated field older recorders wrote), else, for a well-known kind, its group (recorders
    // that wrote neither). Groups since retired name today's: extensions for Deployments and
    // ReplicaSets, and the legacy ungrouped OpenShift API for DeploymentConfigs, as oc reads it.
    public static ScalableKind Of(string kind, string? group, string? apiVersion = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var recorded = !string.IsNullOrEmpty(group) ? group
            : !string.IsNullOrEmpty(apiVersion) ? GroupOf(apiVersion)
            : WellKnown.FirstOrDefault(known => known.Kind == kind)?.Group ?? "";
        return (kind, recorded) switch
        {
            ("Deployment" or "ReplicaSet" or "StatefulSet", "extensions") => new(kind, "apps"),
            ("DeploymentConfig", "") => DeploymentConfig,
            _ => new(kind, recorded),
        };
    }

    // The kind an ownerReference or a targetRef names (apiVersion GROUP/VERSION, or VERSION for core).
    public static ScalableKind FromApiVersion(string apiVersion, string kind) => Of(kind, GroupOf(apiVersion ?? ""), apiVersion);

    public static string GroupOf(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }
}
