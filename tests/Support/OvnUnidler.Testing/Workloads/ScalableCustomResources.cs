using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace OvnUnidler.Testing.Workloads;

/// <summary>
/// A CustomResourceDefinition shaped like Argo Rollouts' (GROUP/v1alpha1, namespaced, spec.replicas,
/// and a scale subresource at .spec.replicas / .status.replicas / .status.selector unless asked
/// without), created through the API as kubectl would, and resources of it. No simulated
/// controller runs them, so their status is written here as their controller would write it.
/// </summary>
public static class ScalableCustomResources
{
    public const string Version = "v1alpha1";

    public static async Task CreateDefinitionAsync(IKubernetes client, string group, string kind, string plural, bool withScale = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        var scale = withScale
            ? new V1CustomResourceSubresourceScale { SpecReplicasPath = ".spec.replicas", StatusReplicasPath = ".status.replicas", LabelSelectorPath = ".status.selector" }
            : null;
        var replicas = new V1JSONSchemaProps { Type = "integer" };
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"{plural}.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Kind = kind, Plural = plural, Singular = kind.ToLowerInvariant(), ListKind = kind + "List" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = Version,
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new JsonObject(), Scale = scale },
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["spec"] = new() { Type = "object", XKubernetesPreserveUnknownFields = true, Properties = new Dictionary<string, V1JSONSchemaProps> { ["replicas"] = replicas } },
                                    ["status"] = new()
                                    {
                                        Type = "object",
                                        XKubernetesPreserveUnknownFields = true,
                                        Properties = new Dictionary<string, V1JSONSchemaProps> { ["replicas"] = replicas, ["selector"] = new() { Type = "string" } },
                                    },
                                },
                            },
                        },
                    },
                ],
            },
        }).ConfigureAwait(false);
    }

    /// <summary>A resource with spec.replicas, and the status its controller would report.</summary>
    public static async Task<JsonElement> CreateAsync(IKubernetes client, string @namespace, string group, string kind, string plural, string name, int replicas, string app)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = new JsonObject
        {
            ["apiVersion"] = $"{group}/{Version}",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } } },
        };
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(body, group, Version, @namespace, plural).ConfigureAwait(false);
        var status = new JsonObject { ["status"] = new JsonObject { ["replicas"] = replicas, ["selector"] = $"app={app}" } };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonElement>(
            new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), group, Version, @namespace, plural, name).ConfigureAwait(false);
        return created;
    }

    public static async Task<int?> ReplicasAsync(IKubernetes client, string @namespace, string group, string plural, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        var item = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(group, Version, @namespace, plural, name).ConfigureAwait(false);
        return item.GetProperty("spec").TryGetProperty("replicas", out var replicas) ? replicas.GetInt32() : null;
    }
}
