using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OvnUnidler.Operator.Controllers;

public sealed class CustomResourceList<TEntity> : IKubernetesObject<V1ListMeta>, IItems<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<TEntity> Items { get; set; } = [];
}
