using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// metadata.ownerReferences entries as controllers write them: the owner's identity, with
// controller and blockOwnerDeletion set (the garbage collector follows them when the owner goes).
internal static class OwnerReference
{
    public static JsonObject To(ResourceType ownerType, JsonObject owner) => new()
    {
        ["apiVersion"] = ownerType.ApiVersion,
        ["kind"] = ownerType.Kind,
        ["name"] = ObjectMetadata.Name(owner),
        ["uid"] = ObjectMetadata.Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    // The owner marked controller: true, as (kind, name); null when there is none.
    public static (string Kind, string Name)? ControllerOf(JsonObject obj)
    {
        foreach (var reference in (ObjectMetadata.Of(obj)["ownerReferences"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (reference["controller"] is JsonValue value && value.TryGetValue<bool>(out var controller) && controller)
            {
                return (JsonAccess.String(reference, "kind") ?? "", JsonAccess.String(reference, "name") ?? "");
            }
        }

        return null;
    }
}
