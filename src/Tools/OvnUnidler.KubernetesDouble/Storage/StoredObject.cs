using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Storage;

// One immutable version of an object. The JSON is kept as bytes: readers on any thread parse or
// copy them, and nothing can change a version once it is stored (JsonNode is not thread-safe).
internal sealed class StoredObject
{
    public required ResourceType Type { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required long ResourceVersion { get; init; }

    public required byte[] Json { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    public string Uid { get; init; } = "";

    // metadata.ownerReferences[*].uid, for the garbage collector without parsing every object.
    public IReadOnlyList<string> OwnerUids { get; init; } = [];

    public JsonObject ToNode() => JsonNode.Parse(Json)!.AsObject();
}
