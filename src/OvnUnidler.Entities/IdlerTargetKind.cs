using System.Text.Json.Serialization;

namespace OvnUnidler.Entities;

// The kinds ovn-unidler scales through their scale subresource.
[JsonConverter(typeof(JsonStringEnumConverter<IdlerTargetKind>))]
public enum IdlerTargetKind
{
    Deployment,
    StatefulSet,
    ReplicaSet,
    ReplicationController,
    DeploymentConfig,
}
