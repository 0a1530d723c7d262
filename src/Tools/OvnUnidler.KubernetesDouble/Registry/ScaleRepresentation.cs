using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.CustomResources;
using OvnUnidler.KubernetesDouble.Selection;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

// The scale subresource's autoscaling/v1 Scale: the parent's identity and resourceVersion,
// spec.replicas, status.replicas, and status.selector as a selector string.
internal static class ScaleRepresentation
{
    public static JsonObject Build(ResourceType parentType, JsonObject parent)
    {
        var metadata = JsonAccess.Object(parent, "metadata");
        var scaleMetadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata?[field] is { } value)
            {
                scaleMetadata[field] = value.DeepClone();
            }
        }

        var spec = JsonAccess.Object(parent, "spec");
        var custom = parentType.Definition?.Scale;
        var status = new JsonObject
        {
            ["replicas"] = custom is null ? JsonAccess.Integer(JsonAccess.Object(parent, "status"), "replicas") ?? 0 : CustomScale.StatusReplicas(custom, parent),
        };
        var selector = custom is null ? SelectorOf(parentType, spec) : CustomScale.Selector(custom, parent);
        if (selector.Length > 0)
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMetadata,
            ["spec"] = new JsonObject { ["replicas"] = (custom is null ? JsonAccess.Integer(spec, "replicas") : CustomScale.SpecReplicas(custom, parent)) ?? 0 },
            ["status"] = status,
        };
    }

    public static string SelectorOf(ResourceType parentType, JsonObject? spec) => parentType.Scale switch
    {
        ScaleSelectorStyle.LabelSelector => LabelSelector.FromLabelSelectorObject(JsonAccess.Object(spec, "selector"))?.ToString() ?? "",
        ScaleSelectorStyle.LabelMap => LabelSelector.FromMap(JsonAccess.StringMap(spec?["selector"]) ?? []).ToString(),
        _ => "",
    };
}
