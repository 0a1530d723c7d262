using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Tables;

// Reading cell values from objects: paths, counts, ages and lists in kubectl's formatting.
internal static class Cells
{
    public static JsonNode? At(JsonObject obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var field in path)
        {
            node = (node as JsonObject)?[field];
        }

        return node;
    }

    public static string Text(JsonObject obj, params string[] path) => JsonAccess.String(At(obj, path)) ?? "";

    public static long Number(JsonObject obj, params string[] path) => JsonAccess.Integer(At(obj, path)) ?? 0;

    public static IEnumerable<JsonObject> Objects(JsonNode? node) => (node as JsonArray)?.OfType<JsonObject>() ?? [];

    public static string Age(JsonObject obj, DateTimeOffset now) => Since(Text(obj, "metadata", "creationTimestamp"), now);

    public static string Since(string timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var then)
            ? HumanDuration.Format(now - then)
            : "<unknown>";

    // "a,b,c + 2 more..." as kubectl's printers shorten long lists.
    public static string List(IReadOnlyList<string> items, int max = 3, string empty = "<none>")
    {
        if (items.Count == 0)
        {
            return empty;
        }

        var shown = string.Join(",", items.Take(max));
        return items.Count > max ? $"{shown} + {items.Count - max} more..." : shown;
    }

    public static string Selector(JsonNode? selector)
    {
        var labels = selector is JsonObject obj && obj["matchLabels"] is JsonObject matchLabels ? matchLabels : selector as JsonObject;
        var pairs = JsonAccess.StringMap(labels)?.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}").ToList() ?? [];
        return pairs.Count == 0 ? "<none>" : string.Join(",", pairs);
    }

    public static string Containers(JsonObject obj, string field) =>
        string.Join(",", Objects(At(obj, "spec", "template", "spec", "containers")).Select(container => JsonAccess.String(container, field) ?? ""));
}
