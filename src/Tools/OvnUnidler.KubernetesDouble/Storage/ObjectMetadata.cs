using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Storage;

// Reads and writes of metav1.ObjectMeta fields on a JSON object.
internal static class ObjectMetadata
{
    public static JsonObject Of(JsonObject obj) => JsonAccess.EnsureObject(obj, "metadata");

    public static string Name(JsonObject obj) => JsonAccess.String(JsonAccess.Object(obj, "metadata"), "name") ?? "";

    public static string Namespace(JsonObject obj) => JsonAccess.String(JsonAccess.Object(obj, "metadata"), "namespace") ?? "";

    public static string ResourceVersion(JsonObject obj) =>
        JsonAccess.String(JsonAccess.Object(obj, "metadata"), "resourceVersion") ?? "";

    public static string Uid(JsonObject obj) => JsonAccess.String(JsonAccess.Object(obj, "metadata"), "uid") ?? "";

    public static long Generation(JsonObject obj) => JsonAccess.Integer(JsonAccess.Object(obj, "metadata"), "generation") ?? 0;

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) =>
        JsonAccess.StringMap(JsonAccess.Object(obj, "metadata")?["labels"]) ?? EmptyLabels;

    public static void Set(JsonObject obj, string field, JsonNode? value) => Of(obj)[field] = value;

    private static readonly Dictionary<string, string> EmptyLabels = new(StringComparer.Ordinal);
}
