using System.Text.Json.Serialization;
using k8s.Models;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>The strategy of one SCC field (runAsUser, seLinuxContext, fsGroup, supplementalGroups): its type, and its range where it has one.</summary>
public sealed class SecurityContextConstraintsStrategy
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("uid")]
    public long? Uid { get; set; }

    [JsonPropertyName("uidRangeMin")]
    public long? UidRangeMin { get; set; }

    [JsonPropertyName("uidRangeMax")]
    public long? UidRangeMax { get; set; }

    [JsonPropertyName("ranges")]
    public IList<SecurityContextConstraintsIdRange>? Ranges { get; set; }

    [JsonPropertyName("seLinuxOptions")]
    public V1SELinuxOptions? SeLinuxOptions { get; set; }
}
