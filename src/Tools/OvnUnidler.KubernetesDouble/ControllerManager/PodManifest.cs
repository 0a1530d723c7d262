using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// The Pod a workload controller creates from its pod template (labels, annotations and spec of
// the template, a controller ownerReference to the workload), and the status the kubelet writes
// once its containers run: phase Running, the Ready and ContainersReady conditions, the pod's
// addresses and one ready container status per container.
internal static class PodManifest
{
    public static JsonObject Build(WorkloadKey owner, JsonObject workload, string name)
    {
        var template = JsonAccess.Path(workload, "spec", "template");
        var templateMetadata = JsonAccess.Object(template, "metadata");
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["labels"] = templateMetadata?["labels"]?.DeepClone() ?? new JsonObject(),
            ["ownerReferences"] = new JsonArray(OwnerReference.To(owner.Type, workload)),
        };
        if (templateMetadata?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }

        var spec = JsonAccess.Object(template, "spec")?.DeepClone().AsObject() ?? new JsonObject();
        spec["containers"] ??= new JsonArray();
        if (owner.Type.Kind == "StatefulSet")
        {
            metadata["labels"]!["statefulset.kubernetes.io/pod-name"] = name;
            spec["hostname"] = name;
            if (JsonAccess.String(JsonAccess.Object(workload, "spec"), "serviceName") is { Length: > 0 } serviceName)
            {
                spec["subdomain"] = serviceName;
            }
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }

    public static JsonObject RunningStatus(JsonObject pod, PodAddresses addresses, string timestamp)
    {
        var containers = (JsonAccess.Path(pod, "spec")?["containers"] as JsonArray)?.OfType<JsonObject>() ?? [];
        var statuses = new JsonArray(containers.Select(container => (JsonNode?)new JsonObject
        {
            ["name"] = JsonAccess.String(container, "name") ?? "",
            ["image"] = JsonAccess.String(container, "image") ?? "",
            ["imageID"] = "",
            ["ready"] = true,
            ["started"] = true,
            ["restartCount"] = 0,
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = timestamp } },
        }).ToArray());
        var status = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", timestamp),
                Condition("Initialized", timestamp),
                Condition("Ready", timestamp),
                Condition("ContainersReady", timestamp),
                Condition("PodScheduled", timestamp)),
            ["startTime"] = timestamp,
            ["containerStatuses"] = statuses,
            ["qosClass"] = "BestEffort",
        };
        if (addresses.All.FirstOrDefault() is { } primary)
        {
            status["podIP"] = primary;
            status["podIPs"] = new JsonArray(addresses.All.Select(ip => (JsonNode?)new JsonObject { ["ip"] = ip }).ToArray());
        }

        return status;
    }

    public static bool IsReady(JsonObject pod) =>
        ((JsonAccess.Object(pod, "status")?["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Any(condition => JsonAccess.String(condition, "type") == "Ready" && JsonAccess.String(condition, "status") == "True");

    // What a pod's endpoint is made of changed: its addresses, its Ready condition, its phase or its deletion.
    public static bool EndpointChanged(JsonObject before, JsonObject after) =>
        IsReady(before) != IsReady(after)
        || !JsonNode.DeepEquals(JsonAccess.Object(before, "status")?["podIPs"], JsonAccess.Object(after, "status")?["podIPs"])
        || JsonAccess.String(JsonAccess.Object(before, "status"), "phase") != JsonAccess.String(JsonAccess.Object(after, "status"), "phase")
        || (JsonAccess.Path(before, "metadata")?["deletionTimestamp"] is null) != (JsonAccess.Path(after, "metadata")?["deletionTimestamp"] is null);

    private static JsonObject Condition(string type, string timestamp) =>
        new() { ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = timestamp };
}
