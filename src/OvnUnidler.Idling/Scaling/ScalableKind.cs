namespace OvnUnidler.Idling.Scaling;

// A workload kind with a scale subresource that idling records and restores.
public sealed record ScalableKind(string Kind, string Group, string Version, string Plural)
{
    public static ScalableKind Deployment { get; } = new("Deployment", "apps", "v1", "deployments");

    public static ScalableKind StatefulSet { get; } = new("StatefulSet", "apps", "v1", "statefulsets");

    public static ScalableKind ReplicaSet { get; } = new("ReplicaSet", "apps", "v1", "replicasets");

    public static ScalableKind ReplicationController { get; } = new("ReplicationController", "", "v1", "replicationcontrollers");

    public static ScalableKind DeploymentConfig { get; } = new("DeploymentConfig", "apps.openshift.io", "v1", "deploymentconfigs");

    public static IReadOnlyList<ScalableKind> All { get; } = [Deployment, StatefulSet, ReplicaSet, ReplicationController, DeploymentConfig];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    // `oc idle` stamps previous-scale and idled-at on these two kinds only, and OpenShift's
    // unidling controller removes them again when it scales them up.
    public bool CarriesPreviousScale => this == ReplicationController || this == DeploymentConfig;

    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    // Resolves a recorded kind and group. Older recorders wrote no group, or the group of an
    // API version since retired: extensions for Deployments and ReplicaSets, and the legacy
    // ungrouped OpenShift API for DeploymentConfigs.
    public static ScalableKind? Find(string kind, string? group)
    {
        var found = All.FirstOrDefault(candidate => candidate.Kind == kind);
        if (found is null || string.IsNullOrEmpty(group) || group == found.Group)
        {
            return found;
        }

        return (found.Kind, group) switch
        {
            ("Deployment" or "ReplicaSet", "extensions") => found,
            _ => null,
        };
    }

    public static string KnownKinds => string.Join(", ", All.Select(kind => kind.Kind));
}
