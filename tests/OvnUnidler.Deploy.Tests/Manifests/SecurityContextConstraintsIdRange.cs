using System.Text.Json.Serialization;

namespace OvnUnidler.Deploy.Tests.Manifests;

public sealed class SecurityContextConstraintsIdRange
{
    [JsonPropertyName("min")]
    public long Min { get; set; }

    [JsonPropertyName("max")]
    public long Max { get; set; }
}
