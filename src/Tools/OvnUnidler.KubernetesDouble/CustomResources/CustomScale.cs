using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// The scale subresource of a custom resource (CustomResourceDefinitions, "Scale subresource"):
// Scale.spec.replicas is read from and written to specReplicasPath, status.replicas comes from
// statusReplicasPath (0 when absent) and status.selector from labelSelectorPath ("" when absent).
internal static class CustomScale
{
    public static long? SpecReplicas(CustomScalePaths paths, JsonObject parent) => JsonAccess.Integer(Read(parent, paths.SpecReplicasPath));

    public static long StatusReplicas(CustomScalePaths paths, JsonObject parent) => JsonAccess.Integer(Read(parent, paths.StatusReplicasPath)) ?? 0;

    public static string Selector(CustomScalePaths paths, JsonObject parent) =>
        paths.LabelSelectorPath is { } path ? JsonAccess.String(Read(parent, path)) ?? "" : "";

    public static void SetSpecReplicas(CustomScalePaths paths, JsonObject parent, long replicas)
    {
        var fields = Fields(paths.SpecReplicasPath);
        var node = parent;
        foreach (var field in fields[..^1])
        {
            node = JsonAccess.EnsureObject(node, field);
        }

        node[fields[^1]] = replicas;
    }

    private static JsonNode? Read(JsonObject parent, string path)
    {
        JsonNode? node = parent;
        foreach (var field in Fields(path))
        {
            node = (node as JsonObject)?[field];
        }

        return node;
    }

    private static string[] Fields(string path) => path.Split('.', StringSplitOptions.RemoveEmptyEntries);
}
