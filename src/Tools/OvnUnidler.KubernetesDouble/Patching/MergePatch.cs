using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Patching;

// RFC 7386 JSON Merge Patch, section 2: objects merge member by member, null removes a
// member, and anything that is not an object replaces the target wholesale (arrays included).
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                var merged = Apply(result[name], value);
                result[name] = merged;
            }
        }

        return result;
    }
}
