using System.Text.Json.Nodes;

namespace OvnUnidler.Idling.Api;

// A JSON merge patch (RFC 7386) of metadata.annotations, where null removes a key. With a
// resourceVersion it is conditional: the API server applies it only to that version (409 otherwise).
public static class AnnotationPatch
{
    public static string Build(IReadOnlyDictionary<string, string?> annotations, string? resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var values = new JsonObject();
        foreach (var (key, value) in annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            values[key] = value;
        }

        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        metadata["annotations"] = values;
        return new JsonObject { ["metadata"] = metadata }.ToJsonString();
    }
}
