using System.Text.Json.Nodes;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>The pod spec inside a workload resource (JSON form), for the kinds this repository ships.</summary>
public static class PodTemplate
{
    public static JsonObject? Spec(JsonObject resource) => resource["kind"]?.GetValue<string>() switch
    {
        "Deployment" or "DaemonSet" or "StatefulSet" or "ReplicaSet" or "Job" => resource["spec"]?["template"]?["spec"] as JsonObject,
        "Pod" => resource["spec"] as JsonObject,
        "CronJob" => resource["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"] as JsonObject,
        _ => null,
    };

    public static IEnumerable<JsonObject> Containers(JsonObject resource)
    {
        var spec = Spec(resource);
        if (spec is null)
        {
            return [];
        }

        return new[] { "initContainers", "containers" }
            .SelectMany(field => spec[field] as JsonArray ?? [])
            .Select(container => container as JsonObject ?? throw new FormatException("a container is not a mapping"));
    }
}
