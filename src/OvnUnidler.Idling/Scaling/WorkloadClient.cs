using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OvnUnidler.Idling.Api;

namespace OvnUnidler.Idling.Scaling;

// Reads and writes workloads of every scalable kind: the typed KubernetesClient calls where the
// API has them, the custom-object calls for OpenShift's DeploymentConfig. Failures throw as
// KubernetesClient throws; ApiCaller turns them into results.
public sealed class WorkloadClient(IKubernetes client)
{
    public async Task<ScaleSnapshot> ReadScaleAsync(ScalableKind kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind == ScalableKind.DeploymentConfig)
        {
            var scale = await client.CustomObjects.GetNamespacedCustomObjectScaleAsync<JsonElement>(
                kind.Group, kind.Version, @namespace, kind.Plural, name, cancellationToken).ConfigureAwait(false);
            return FromJson(scale);
        }

        var typed = kind.Kind switch
        {
            "Deployment" => client.AppsV1.ReadNamespacedDeploymentScaleAsync(name, @namespace, cancellationToken: cancellationToken),
            "StatefulSet" => client.AppsV1.ReadNamespacedStatefulSetScaleAsync(name, @namespace, cancellationToken: cancellationToken),
            "ReplicaSet" => client.AppsV1.ReadNamespacedReplicaSetScaleAsync(name, @namespace, cancellationToken: cancellationToken),
            "ReplicationController" => client.CoreV1.ReadNamespacedReplicationControllerScaleAsync(name, @namespace, cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalable kind"),
        };
        return FromTyped(await typed.ConfigureAwait(false));
    }

    // A conditional write: the API server answers 409 when the workload changed since `read`.
    public async Task<ScaleSnapshot> WriteScaleAsync(ScalableKind kind, string @namespace, string name, ScaleSnapshot read, int replicas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(read);
        if (kind == ScalableKind.DeploymentConfig)
        {
            var body = new JsonObject
            {
                ["apiVersion"] = read.ApiVersion,
                ["kind"] = "Scale",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace, ["resourceVersion"] = read.ResourceVersion },
                ["spec"] = new JsonObject { ["replicas"] = replicas },
            };
            var written = await client.CustomObjects.ReplaceNamespacedCustomObjectScaleAsync<JsonElement>(
                body, kind.Group, kind.Version, @namespace, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromJson(written);
        }

        var scale = new V1Scale
        {
            ApiVersion = "autoscaling/v1",
            Kind = "Scale",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, ResourceVersion = read.ResourceVersion },
            Spec = new V1ScaleSpec { Replicas = replicas },
        };
        var typed = kind.Kind switch
        {
            "Deployment" => client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, name, @namespace, cancellationToken: cancellationToken),
            "StatefulSet" => client.AppsV1.ReplaceNamespacedStatefulSetScaleAsync(scale, name, @namespace, cancellationToken: cancellationToken),
            "ReplicaSet" => client.AppsV1.ReplaceNamespacedReplicaSetScaleAsync(scale, name, @namespace, cancellationToken: cancellationToken),
            "ReplicationController" => client.CoreV1.ReplaceNamespacedReplicationControllerScaleAsync(scale, name, @namespace, cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalable kind"),
        };
        return FromTyped(await typed.ConfigureAwait(false));
    }

    // A JSON merge patch (RFC 7386) of metadata.annotations; a null value removes the key.
    public async Task PatchAnnotationsAsync(ScalableKind kind, string @namespace, string name, IReadOnlyDictionary<string, string?> annotations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var patch = new V1Patch(AnnotationPatch.Build(annotations, resourceVersion: null), V1Patch.PatchType.MergePatch);
        Task call = kind.Kind switch
        {
            "Deployment" => client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, @namespace, cancellationToken: cancellationToken),
            "StatefulSet" => client.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, @namespace, cancellationToken: cancellationToken),
            "ReplicaSet" => client.AppsV1.PatchNamespacedReplicaSetAsync(patch, name, @namespace, cancellationToken: cancellationToken),
            "ReplicationController" => client.CoreV1.PatchNamespacedReplicationControllerAsync(patch, name, @namespace, cancellationToken: cancellationToken),
            "DeploymentConfig" => client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
                patch, kind.Group, kind.Version, @namespace, kind.Plural, name, cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalable kind"),
        };
        await call.ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Workload>> ListAsync(ScalableKind kind, string @namespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        switch (kind.Kind)
        {
            case "Deployment":
                var deployments = await client.AppsV1.ListNamespacedDeploymentAsync(@namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                return deployments.Items.Select(item => Summarize(kind, item.Metadata, item.Spec?.Replicas, item.Spec?.Template?.Metadata)).ToList();
            case "StatefulSet":
                var statefulSets = await client.AppsV1.ListNamespacedStatefulSetAsync(@namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                return statefulSets.Items.Select(item => Summarize(kind, item.Metadata, item.Spec?.Replicas, item.Spec?.Template?.Metadata)).ToList();
            case "ReplicaSet":
                var replicaSets = await client.AppsV1.ListNamespacedReplicaSetAsync(@namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                return replicaSets.Items.Select(item => Summarize(kind, item.Metadata, item.Spec?.Replicas, item.Spec?.Template?.Metadata)).ToList();
            case "ReplicationController":
                var controllers = await client.CoreV1.ListNamespacedReplicationControllerAsync(@namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                return controllers.Items.Select(item => Summarize(kind, item.Metadata, item.Spec?.Replicas, item.Spec?.Template?.Metadata)).ToList();
            case "DeploymentConfig":
                var configs = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
                    kind.Group, kind.Version, @namespace, kind.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
                return configs.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
                    ? items.EnumerateArray().Select(item => SummarizeJson(kind, item)).ToList()
                    : [];
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalable kind");
        }
    }

    private static ScaleSnapshot FromTyped(V1Scale scale) =>
        new(scale.Spec?.Replicas ?? 0, scale.Metadata?.ResourceVersion ?? "") { ApiVersion = scale.ApiVersion ?? "autoscaling/v1" };

    private static ScaleSnapshot FromJson(JsonElement scale)
    {
        var replicas = scale.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("replicas", out var count) && count.TryGetInt32(out var value) ? value : 0;
        var resourceVersion = scale.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("resourceVersion", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString()! : "";
        var apiVersion = scale.TryGetProperty("apiVersion", out var api) && api.ValueKind == JsonValueKind.String ? api.GetString()! : "autoscaling/v1";
        return new ScaleSnapshot(replicas, resourceVersion) { ApiVersion = apiVersion };
    }

    private static Workload Summarize(ScalableKind kind, V1ObjectMeta metadata, int? replicas, V1ObjectMeta? template) => new(
        kind,
        metadata.Name,
        // An omitted spec.replicas means 1 for every one of these kinds.
        replicas ?? 1,
        template?.Labels?.AsReadOnly() ?? Empty,
        metadata.Annotations?.AsReadOnly() ?? Empty,
        metadata.OwnerReferences?.FirstOrDefault(owner => owner.Controller == true)?.Kind);

    private static Workload SummarizeJson(ScalableKind kind, JsonElement item)
    {
        var metadata = KubernetesJson.Deserialize<V1ObjectMeta>(item.GetProperty("metadata"));
        int? replicas = null;
        V1ObjectMeta? template = null;
        if (item.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object)
        {
            replicas = spec.TryGetProperty("replicas", out var count) && count.TryGetInt32(out var value) ? value : null;
            if (spec.TryGetProperty("template", out var podTemplate) && podTemplate.ValueKind == JsonValueKind.Object
                && podTemplate.TryGetProperty("metadata", out var templateMetadata) && templateMetadata.ValueKind == JsonValueKind.Object)
            {
                template = KubernetesJson.Deserialize<V1ObjectMeta>(templateMetadata);
            }
        }

        return Summarize(kind, metadata, replicas, template);
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>().AsReadOnly();
}
