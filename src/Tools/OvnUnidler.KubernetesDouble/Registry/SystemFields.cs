using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

// Fields the server owns (API conventions, "Metadata"): uid, creationTimestamp,
// resourceVersion and generation are set by the server and never taken from a client's update.
internal static class SystemFields
{
    public static string Timestamp(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static void StampNew(ResourceType type, JsonObject obj, TimeProvider time)
    {
        var metadata = ObjectMetadata.Of(obj);
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp(time);
        metadata.Remove("resourceVersion");
        metadata.Remove("selfLink");
        metadata.Remove("managedFields");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        if (type.TracksGeneration)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }
    }

    // Carries the server-owned fields of the stored version over to the next one.
    public static void CarryOver(JsonObject current, JsonObject next)
    {
        var from = ObjectMetadata.Of(current);
        var to = ObjectMetadata.Of(next);
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            if (from[field] is { } value)
            {
                to[field] = value.DeepClone();
            }
            else
            {
                to.Remove(field);
            }
        }

        to.Remove("selfLink");
        to.Remove("managedFields");
        to.Remove("resourceVersion");
    }

    // metadata.generation counts changes of the desired state: everything outside metadata, and
    // outside status when status has its own subresource.
    public static void BumpGenerationIfSpecChanged(ResourceType type, JsonObject current, JsonObject next)
    {
        if (!type.TracksGeneration)
        {
            return;
        }

        if (!JsonNode.DeepEquals(DesiredState(type, current), DesiredState(type, next)))
        {
            ObjectMetadata.Of(next)["generation"] = ObjectMetadata.Generation(current) + 1;
        }
    }

    private static JsonObject DesiredState(ResourceType type, JsonObject obj)
    {
        var state = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (name is "metadata" or "kind" or "apiVersion" || (type.HasStatusSubresource && name == "status"))
            {
                continue;
            }

            state[name] = value?.DeepClone();
        }

        return state;
    }

    public static string Format(long resourceVersion) => resourceVersion.ToString(CultureInfo.InvariantCulture);
}
