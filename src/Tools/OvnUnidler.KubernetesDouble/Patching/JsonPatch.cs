using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Patching;

// RFC 6902 JSON Patch. Operations apply in order to a copy; the first that fails fails the
// whole patch and nothing changes (section 5). "test" compares by JSON value (section 4.6).
internal static class JsonPatch
{
    public static PatchOutcome Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            return PatchOutcome.Malformed("json: cannot unmarshal object into Go value of type jsonpatch.Patch: a JSON patch document must be an array of operations");
        }

        JsonNode? current = document.DeepClone();
        var index = 0;
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op || Text(op, "op") is not { } name || Text(op, "path") is not { } path)
            {
                return PatchOutcome.Malformed($"invalid JSON patch operation at index {index}: \"op\" and \"path\" are required");
            }

            if (!JsonPointer.TryParse(path, out var tokens))
            {
                return PatchOutcome.Malformed($"invalid JSON pointer \"{path}\" in operation {index}");
            }

            var (next, error) = name switch
            {
                "add" => op.ContainsKey("value") ? Add(current, tokens, op["value"]?.DeepClone(), path) : (null, MissingValue(name)),
                "remove" => Remove(current, tokens, path),
                "replace" => op.ContainsKey("value") ? Replace(current, tokens, op["value"]?.DeepClone(), path) : (null, MissingValue(name)),
                "test" => op.ContainsKey("value") ? Test(current, tokens, op["value"], path) : (null, MissingValue(name)),
                "move" => FromOperation(current, op, tokens, path, move: true),
                "copy" => FromOperation(current, op, tokens, path, move: false),
                _ => (null, new PatchOutcome(null, Errors.ApiError.BadRequest($"unexpected JSON patch operation \"{name}\""))),
            };
            if (error is { } failed)
            {
                return failed;
            }

            current = next;
            index++;
        }

        return PatchOutcome.Success(current);
    }

    private static PatchOutcome MissingValue(string op) => PatchOutcome.Malformed($"\"{op}\" operation is missing \"value\"");

    private static string? Text(JsonObject op, string name) => Storage.JsonAccess.String(op, name);

    private static (JsonNode? Document, PatchOutcome? Error) Add(JsonNode? document, IReadOnlyList<string> tokens, JsonNode? value, string path)
    {
        if (tokens.Count == 0)
        {
            return (value, null);
        }

        var parent = Resolve(document, tokens, tokens.Count - 1);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                return (document, null);
            case JsonArray array when JsonPointer.TryIndex(last, array.Count, allowEnd: true, out var at):
                array.Insert(at, value);
                return (document, null);
            default:
                return (null, PatchOutcome.NotApplicable($"add operation does not apply: doc is missing path: \"{path}\""));
        }
    }

    private static (JsonNode? Document, PatchOutcome? Error) Remove(JsonNode? document, IReadOnlyList<string> tokens, string path)
    {
        if (tokens.Count == 0)
        {
            return (null, null);
        }

        var parent = Resolve(document, tokens, tokens.Count - 1);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                return (document, null);
            case JsonArray array when JsonPointer.TryIndex(last, array.Count, allowEnd: false, out var at):
                array.RemoveAt(at);
                return (document, null);
            default:
                return (null, PatchOutcome.NotApplicable($"remove operation does not apply: doc is missing path: \"{path}\""));
        }
    }

    private static (JsonNode? Document, PatchOutcome? Error) Replace(JsonNode? document, IReadOnlyList<string> tokens, JsonNode? value, string path)
    {
        if (tokens.Count == 0)
        {
            return (value, null);
        }

        var parent = Resolve(document, tokens, tokens.Count - 1);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj[last] = value;
                return (document, null);
            case JsonArray array when JsonPointer.TryIndex(last, array.Count, allowEnd: false, out var at):
                array[at] = value;
                return (document, null);
            default:
                return (null, PatchOutcome.NotApplicable($"replace operation does not apply: doc is missing key: \"{path}\""));
        }
    }

    private static (JsonNode? Document, PatchOutcome? Error) Test(JsonNode? document, IReadOnlyList<string> tokens, JsonNode? expected, string path)
    {
        if (!TryGet(document, tokens, out var actual))
        {
            return (null, PatchOutcome.NotApplicable($"test operation does not apply: doc is missing path: \"{path}\""));
        }

        return JsonNode.DeepEquals(actual, expected)
            ? (document, null)
            : (null, PatchOutcome.NotApplicable($"testing value \"{path}\" failed: test failed"));
    }

    private static (JsonNode? Document, PatchOutcome? Error) FromOperation(JsonNode? document, JsonObject op, IReadOnlyList<string> tokens, string path, bool move)
    {
        var name = move ? "move" : "copy";
        if (Text(op, "from") is not { } from || !JsonPointer.TryParse(from, out var fromTokens))
        {
            return (null, PatchOutcome.Malformed($"\"{name}\" operation needs a valid \"from\""));
        }

        if (!TryGet(document, fromTokens, out var value))
        {
            return (null, PatchOutcome.NotApplicable($"{name} operation does not apply: doc is missing from path: \"{from}\""));
        }

        // RFC 6902 4.4: a location cannot be moved into one of its children.
        if (move && path.StartsWith(from + "/", StringComparison.Ordinal))
        {
            return (null, PatchOutcome.NotApplicable($"move operation does not apply: \"{from}\" is a prefix of \"{path}\""));
        }

        var copy = value?.DeepClone();
        if (move)
        {
            var (afterRemove, error) = Remove(document, fromTokens, from);
            if (error is not null)
            {
                return (null, error);
            }

            document = afterRemove;
        }

        return Add(document, tokens, copy, path);
    }

    private static bool TryGet(JsonNode? document, IReadOnlyList<string> tokens, out JsonNode? value)
    {
        value = document;
        foreach (var token in tokens)
        {
            switch (value)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    value = child;
                    break;
                case JsonArray array when JsonPointer.TryIndex(token, array.Count, allowEnd: false, out var at):
                    value = array[at];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    private static JsonNode? Resolve(JsonNode? document, IReadOnlyList<string> tokens, int count) =>
        TryGet(document, tokens.Take(count).ToList(), out var node) ? node : null;
}
