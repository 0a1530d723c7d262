using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Discovery;

namespace OvnUnidler.Idling.Scaling;

// Reads and writes workloads of any kind through the generic object calls, at the resource and
// version API discovery names for the kind (core kinds too: the client maps group "" to /api/v1).
// Scaling goes through the scale subresource only, so a kind qualifies by serving one. Failures
// throw as KubernetesClient throws, or KindNotScalableException; ApiCaller turns them into results.
public sealed class WorkloadClient(IKubernetes client, ApiDiscovery discovery)
{
    public WorkloadClient(IKubernetes client, TimeProvider timeProvider)
        : this(client, new ApiDiscovery(client, timeProvider))
    {
    }

    public async Task<ScaleSnapshot> ReadScaleAsync(ScalableKind kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        var resource = await ScalableResourceAsync(kind, cancellationToken).ConfigureAwait(false);
        var scale = await client.CustomObjects.GetNamespacedCustomObjectScaleAsync<JsonElement>(
            resource.Group, resource.Version, @namespace, resource.Plural, name, cancellationToken).ConfigureAwait(false);
        return FromJson(scale);
    }

    // A conditional write: the API server answers 409 when the workload changed since `read`.
    public async Task<ScaleSnapshot> WriteScaleAsync(ScalableKind kind, string @namespace, string name, ScaleSnapshot read, int replicas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var resource = await ScalableResourceAsync(kind, cancellationToken).ConfigureAwait(false);
        var body = new JsonObject
        {
            // As the server sent it (OpenShift has served DeploymentConfig scales as extensions/v1beta1).
            ["apiVersion"] = read.ApiVersion,
            ["kind"] = "Scale",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace, ["resourceVersion"] = read.ResourceVersion },
            ["spec"] = new JsonObject { ["replicas"] = replicas },
        };
        var written = await client.CustomObjects.ReplaceNamespacedCustomObjectScaleAsync<JsonElement>(
            body, resource.Group, resource.Version, @namespace, resource.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return FromJson(written);
    }

    // A JSON merge patch (RFC 7386) of metadata.annotations; a null value removes the key.
    public async Task PatchAnnotationsAsync(ScalableKind kind, string @namespace, string name, IReadOnlyDictionary<string, string?> annotations, CancellationToken cancellationToken)
    {
        var resource = await ServedResourceAsync(kind, cancellationToken).ConfigureAwait(false);
        var patch = new V1Patch(AnnotationPatch.Build(annotations, resourceVersion: null), V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            patch, resource.Group, resource.Version, @namespace, resource.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // Whether the server serves the kind at all (a cluster without OpenShift serves no DeploymentConfigs).
    public async Task<bool> IsServedAsync(ScalableKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return await discovery.FindAsync(kind.Group, kind.Kind, cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<Workload>> ListAsync(ScalableKind kind, string @namespace, CancellationToken cancellationToken)
    {
        var resource = await ServedResourceAsync(kind, cancellationToken).ConfigureAwait(false);
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
            resource.Group, resource.Version, @namespace, resource.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        return list.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Select(item => Summarize(kind, item)).ToList()
            : [];
    }

    // The metadata of any object a Pod's owner chain names, read at the resource discovery gives
    // for its kind (the ownerReference's version may no longer be served).
    public async Task<V1ObjectMeta> ReadMetadataAsync(ScalableKind kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        var resource = await ServedResourceAsync(kind, cancellationToken).ConfigureAwait(false);
        var item = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            resource.Group, resource.Version, @namespace, resource.Plural, name, cancellationToken).ConfigureAwait(false);
        return KubernetesJson.Deserialize<V1ObjectMeta>(item.GetProperty("metadata"));
    }

    private async Task<ApiResource> ServedResourceAsync(ScalableKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var resource = await discovery.FindAsync(kind.Group, kind.Kind, cancellationToken).ConfigureAwait(false)
            ?? throw new KindNotScalableException($"{kind} is not served by this API server (API discovery lists no kind {kind.Kind} in group '{kind.Group}')");
        return resource.Namespaced
            ? resource
            : throw new KindNotScalableException($"{kind} is cluster-scoped ({resource}), not a workload of a namespace");
    }

    private async Task<ApiResource> ScalableResourceAsync(ScalableKind kind, CancellationToken cancellationToken)
    {
        var resource = await ServedResourceAsync(kind, cancellationToken).ConfigureAwait(false);
        return resource.HasScale
            ? resource
            : throw new KindNotScalableException($"{kind} has no scale subresource ({resource}/scale is not served), so it cannot be scaled");
    }

    private static ScaleSnapshot FromJson(JsonElement scale)
    {
        var replicas = scale.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("replicas", out var count) && count.TryGetInt32(out var value) ? value : 0;
        var resourceVersion = scale.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("resourceVersion", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString()! : "";
        var apiVersion = scale.TryGetProperty("apiVersion", out var api) && api.ValueKind == JsonValueKind.String ? api.GetString()! : "autoscaling/v1";
        return new ScaleSnapshot(replicas, resourceVersion) { ApiVersion = apiVersion };
    }

    private static Workload Summarize(ScalableKind kind, JsonElement item)
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

        return new Workload(
            kind,
            metadata.Name,
            // An omitted spec.replicas means 1 for the workload kinds.
            replicas ?? 1,
            template?.Labels?.AsReadOnly() ?? Empty,
            metadata.Annotations?.AsReadOnly() ?? Empty,
            metadata.OwnerReferences?.FirstOrDefault(owner => owner.Controller == true)?.Kind);
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>().AsReadOnly();
}
