using System.Text.Json.Serialization;
using k8s.Models;

namespace OvnUnidler.Entities;

public abstract class CustomKubernetesEntity<TSpec> : CustomKubernetesEntity, ISpec<TSpec>
    where TSpec : new()
{
    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();
}
