using System.Globalization;
using System.Text.Json.Nodes;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>
/// RFC 6902 JSON Patch (add, remove, replace, test), as kustomize applies a `patches:` entry whose
/// body is a list of operations. Paths are RFC 6901 pointers; a missing path is an error, as in
/// kustomize, except for add of a new member (RFC 6902 section 4.1).
/// </summary>
public static class JsonPatch
{
    public static void Apply(JsonObject document, JsonArray operations, string source)
    {
        foreach (var entry in operations)
        {
            var operation = entry as JsonObject ?? throw new FormatException($"{source}: a patch operation is not a mapping");
            var op = operation["op"]?.GetValue<string>() ?? throw new FormatException($"{source}: an operation has no op");
            var path = operation["path"]?.GetValue<string>() ?? throw new FormatException($"{source}: an operation has no path");
            var (parent, key) = Locate(document, path, source);
            switch (op)
            {
                case "add":
                    Add(parent, key, Value(operation, source), path, source);
                    break;
                case "remove":
                    Remove(parent, key, path, source);
                    break;
                case "replace":
                    Remove(parent, key, path, source);
                    Add(parent, key, Value(operation, source), path, source);
                    break;
                case "test":
                    var actual = Get(parent, key, path, source);
                    var expected = Value(operation, source);
                    if (!JsonNode.DeepEquals(actual, expected))
                    {
                        throw new InvalidOperationException($"{source}: test of {path} failed: {actual?.ToJsonString() ?? "null"} is not {expected?.ToJsonString() ?? "null"}");
                    }

                    break;
                default:
                    throw new NotSupportedException($"{source}: JSON patch operation '{op}' is not applied by this model of kustomize");
            }
        }
    }

    private static JsonNode? Value(JsonObject operation, string source) =>
        operation.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new FormatException($"{source}: operation {operation["op"]} has no value");

    private static (JsonNode Parent, string Key) Locate(JsonObject document, string path, string source)
    {
        if (!path.StartsWith('/'))
        {
            throw new FormatException($"{source}: '{path}' is not a JSON pointer");
        }

        var tokens = path[1..].Split('/').Select(token => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        JsonNode current = document;
        foreach (var token in tokens[..^1])
        {
            current = Get(current, token, path, source) ?? throw new InvalidOperationException($"{source}: {path} passes through a null value");
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Get(JsonNode parent, string key, string path, string source) => parent switch
    {
        JsonObject mapping when mapping.TryGetPropertyValue(key, out var child) => child,
        JsonArray list when Index(list, key, path, source, allowEnd: false) is var index => list[index],
        _ => throw new InvalidOperationException($"{source}: {path} does not exist"),
    };

    private static void Add(JsonNode parent, string key, JsonNode? value, string path, string source)
    {
        switch (parent)
        {
            case JsonObject mapping:
                mapping[key] = value;
                break;
            case JsonArray list when key == "-":
                list.Add(value);
                break;
            case JsonArray list:
                list.Insert(Index(list, key, path, source, allowEnd: true), value);
                break;
            default:
                throw new InvalidOperationException($"{source}: the parent of {path} is not an object or array");
        }
    }

    private static void Remove(JsonNode parent, string key, string path, string source)
    {
        switch (parent)
        {
            case JsonObject mapping when mapping.Remove(key):
                break;
            case JsonArray list:
                list.RemoveAt(Index(list, key, path, source, allowEnd: false));
                break;
            default:
                throw new InvalidOperationException($"{source}: {path} does not exist");
        }
    }

    private static int Index(JsonArray list, string key, string path, string source, bool allowEnd)
    {
        if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > list.Count || (!allowEnd && index == list.Count))
        {
            throw new InvalidOperationException($"{source}: {path}: '{key}' is not an index of an array of {list.Count}");
        }

        return index;
    }
}
