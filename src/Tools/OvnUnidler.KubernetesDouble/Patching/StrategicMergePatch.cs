using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Patching;

// Kubernetes strategic merge patch, simplified. A merge patch (RFC 7386) except that:
//  - lists of objects whose field has a patchMergeKey in the built-in types merge element by
//    element on that key (containers and env by name, volumeMounts by mountPath, conditions by
//    type, ownerReferences by uid, ports by containerPort or port, ...), and an element
//    {"<key>": .., "$patch": "delete"} removes that element;
//  - finalizers (a primitive list with the merge strategy) are unioned, and
//    "$deleteFromPrimitiveList/<field>" removes values from such a list;
//  - "$patch": "replace" on an object replaces it, "$patch": "delete" removes it, and
//    "$retainKeys" keeps only the listed fields.
// Unlike the real server, the merge key is chosen by field name, not from the Go type's schema,
// and "$setElementOrder" directives are accepted and ignored (order of existing items is kept).
internal static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["imagePullSecrets"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["readinessGates"] = "conditionType",
        ["topologySpreadConstraints"] = "topologyKey",
    };

    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };

    public static PatchOutcome Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return PatchOutcome.Malformed("a strategic merge patch must be a JSON object");
        }

        var result = MergeObject(document as JsonObject, patchObject);
        return result is null
            ? PatchOutcome.NotApplicable("a strategic merge patch cannot delete the whole object")
            : PatchOutcome.Success(result);
    }

    private static JsonObject? MergeObject(JsonObject? target, JsonObject patch)
    {
        switch (Storage.JsonAccess.String(patch, PatchDirective))
        {
            case "replace":
                return WithoutDirectives(patch);
            case "delete":
                return null;
        }

        var result = target is null ? new JsonObject() : (JsonObject)target.DeepClone();
        if (patch[RetainKeysDirective] is JsonArray retain)
        {
            var keep = retain.Select(Storage.JsonAccess.String).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(pair => pair.Key).Where(key => !keep.Contains(key)).ToList())
            {
                result.Remove(key);
            }
        }

        foreach (var (name, value) in patch)
        {
            if (name.StartsWith('$'))
            {
                if (name.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) && value is JsonArray removed)
                {
                    var field = name[DeleteFromPrimitiveListPrefix.Length..];
                    if (result[field] is JsonArray list)
                    {
                        foreach (var item in list.Where(item => removed.Any(r => JsonNode.DeepEquals(r, item))).ToList())
                        {
                            list.Remove(item);
                        }
                    }
                }

                // $setElementOrder/<field> and the directives handled above carry no data.
                continue;
            }

            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonArray patchList && result[name] is JsonArray targetList)
            {
                result[name] = MergeList(name, targetList, patchList);
            }
            else if (value is JsonObject patchChild)
            {
                var merged = MergeObject(result[name] as JsonObject, patchChild);
                if (merged is null)
                {
                    result.Remove(name);
                }
                else
                {
                    result[name] = merged;
                }
            }
            else
            {
                result[name] = value is JsonArray array ? WithoutDirectives(array) : value.DeepClone();
            }
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray target, JsonArray patch)
    {
        if (patch.OfType<JsonObject>().Any(item => Storage.JsonAccess.String(item, PatchDirective) == "replace"))
        {
            return new JsonArray(patch.OfType<JsonObject>().Where(item => Storage.JsonAccess.String(item, PatchDirective) != "replace")
                .Select(item => (JsonNode?)WithoutDirectives(item)).ToArray());
        }

        if (MergedPrimitiveLists.Contains(field) && patch.All(item => item is JsonValue))
        {
            var union = (JsonArray)target.DeepClone();
            foreach (var item in patch.Where(item => !union.Any(existing => JsonNode.DeepEquals(existing, item))))
            {
                union.Add(item?.DeepClone());
            }

            return union;
        }

        var key = MergeKeyFor(field, target, patch);
        if (key is null)
        {
            return WithoutDirectives(patch);
        }

        var result = (JsonArray)target.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem || patchItem[key] is not { } keyValue)
            {
                result.Add(item?.DeepClone());
                continue;
            }

            var existing = result.OfType<JsonObject>().FirstOrDefault(candidate => JsonNode.DeepEquals(candidate[key], keyValue));
            if (Storage.JsonAccess.String(patchItem, PatchDirective) == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }

                continue;
            }

            if (existing is null)
            {
                result.Add(WithoutDirectives(patchItem));
            }
            else
            {
                var index = result.IndexOf(existing);
                result[index] = MergeObject(existing, patchItem);
            }
        }

        return result;
    }

    private static string? MergeKeyFor(string field, JsonArray target, JsonArray patch)
    {
        if (MergeKeys.TryGetValue(field, out var key))
        {
            return key;
        }

        if (field == "ports")
        {
            // Container ports merge on containerPort, Service ports on port.
            var items = target.Concat(patch).OfType<JsonObject>().ToList();
            return items.Any(item => item.ContainsKey("containerPort")) ? "containerPort" : "port";
        }

        return null;
    }

    private static JsonObject WithoutDirectives(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (!name.StartsWith('$'))
            {
                copy[name] = value switch
                {
                    JsonObject child => WithoutDirectives(child),
                    JsonArray array => WithoutDirectives(array),
                    _ => value?.DeepClone(),
                };
            }
        }

        return copy;
    }

    private static JsonArray WithoutDirectives(JsonArray array) =>
        new(array.Select(item => item is JsonObject obj ? WithoutDirectives(obj) : item?.DeepClone()).ToArray());
}
