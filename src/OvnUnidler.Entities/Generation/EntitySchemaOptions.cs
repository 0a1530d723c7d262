using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OvnUnidler.Entities.Generation;

// How the entity types are read for their schema: the JSON names and nullability that
// KubernetesJson uses on the wire (every property carries [JsonPropertyName]; enums carry their
// string converter), and no number-from-string leniency, which would turn integers into
// ["string","integer"] unions that a structural schema cannot express.
internal static class EntitySchemaOptions
{
    public static JsonSerializerOptions Serializer { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            RespectNullableAnnotations = true,
        };
        options.MakeReadOnly();
        return options;
    }
}
