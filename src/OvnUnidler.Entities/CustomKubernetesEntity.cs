using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OvnUnidler.Entities;

// The shape of KubeOps' CustomKubernetesEntity (KubeOps.Abstractions.Entities), so that moving
// to KubeOps later only changes a using directive.
public abstract class CustomKubernetesEntity : KubernetesObject, IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
