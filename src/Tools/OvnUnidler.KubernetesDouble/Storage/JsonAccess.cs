using System.Text.Json;
using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Storage;

// Typed reads from JSON nodes that may come from a parser (element-backed) or from code
// (primitive-backed); JsonValue.TryGetValue<long> fails on an int-backed value, hence the ladder.
internal static class JsonAccess
{
    public static JsonObject? Object(JsonNode? parent, string name) =>
        parent is JsonObject obj && obj[name] is JsonObject child ? child : null;

    public static JsonObject? Path(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = Object(node, name);
        }

        return node as JsonObject;
    }

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static string? String(JsonNode? parent, string name) =>
        parent is JsonObject obj ? String(obj[name]) : null;

    public static long? Integer(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var asLong))
        {
            return asLong;
        }

        if (value.TryGetValue<int>(out var asInt))
        {
            return asInt;
        }

        if (value.TryGetValue<double>(out var asDouble) && Math.Floor(asDouble) == asDouble)
        {
            return (long)asDouble;
        }

        return value.TryGetValue<decimal>(out var asDecimal) && decimal.Floor(asDecimal) == asDecimal ? (long)asDecimal : null;
    }

    public static long? Integer(JsonNode? parent, string name) => parent is JsonObject obj ? Integer(obj[name]) : null;

    public static bool IsNumber(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    public static JsonObject EnsureObject(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    // Map of string to string (labels, annotations, selectors); null when absent or malformed.
    public static Dictionary<string, string>? StringMap(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (String(value) is not { } text)
            {
                return null;
            }

            map[key] = text;
        }

        return map;
    }
}
