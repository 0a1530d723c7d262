using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

internal sealed partial class ResourceRegistry
{
    private static readonly string[] ScaleApiVersions = ["autoscaling/v1", "extensions/v1beta1", "apps/v1beta1", "apps/v1beta2"];

    public ApiResult GetScale(ResourceType type, string @namespace, string name)
    {
        var stored = store.Transact(tx => GetLocked(tx, type, @namespace, name));
        return stored is null ? ApiError.NotFound(type, name) : ApiResult.Ok(ScaleRepresentation.Build(type, Load(type, stored)));
    }

    public ApiResult UpdateScale(ResourceType type, string @namespace, string name, JsonObject scale)
    {
        var (result, error) = store.Transact<(JsonObject?, ApiError?)>(tx =>
        {
            var current = GetLocked(tx, type, @namespace, name);
            return current is null ? (null, ApiError.NotFound(type, name)) : UpdateScaleLocked(tx, type, current, scale);
        });
        return error ?? ApiResult.Ok(result!);
    }

    // Writing a Scale writes the parent's spec.replicas: the parent gets a new resourceVersion
    // (and generation) and watchers of the parent see MODIFIED. The Scale's resourceVersion is
    // the parent's, so a stale one is a 409 like any other update.
    internal (JsonObject? Scale, ApiError? Error) UpdateScaleLocked(StoreTransaction tx, ResourceType type, StoredObject parent, JsonObject scale)
    {
        if (JsonAccess.String(scale, "kind") is { } kind && kind != "Scale")
        {
            return (null, ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind (Scale)"));
        }

        if (JsonAccess.String(scale, "apiVersion") is { } apiVersion && !ScaleApiVersions.Contains(apiVersion))
        {
            return (null, ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version (autoscaling/v1)"));
        }

        var scaleName = ObjectMetadata.Name(scale);
        if (scaleName != parent.Name)
        {
            return (null, ApiError.BadRequest($"the name of the object ({scaleName}) does not match the name on the URL ({parent.Name})"));
        }

        var replicasNode = JsonAccess.Object(scale, "spec")?["replicas"];
        var replicas = replicasNode is null ? 0 : JsonAccess.Integer(replicasNode);
        if (replicas is null or < 0)
        {
            var detail = replicas is null ? "must be an integer" : "must be greater than or equal to 0";
            return (null, ApiError.Invalid("Scale.autoscaling", "autoscaling", "Scale", parent.Name, [FieldError.Invalid("spec.replicas", replicasNode!.DeepClone(), detail)]));
        }

        var requestedVersion = ObjectMetadata.ResourceVersion(scale);
        if (requestedVersion.Length > 0 && requestedVersion != SystemFields.Format(parent.ResourceVersion))
        {
            return (null, ApiError.Conflict(type, parent.Name));
        }

        var parentNode = Load(type, parent);
        if (type.Definition?.Scale is { } custom)
        {
            CustomResources.CustomScale.SetSpecReplicas(custom, parentNode, replicas.Value);
        }
        else
        {
            JsonAccess.EnsureObject(parentNode, "spec")["replicas"] = replicas.Value;
        }
        ObjectMetadata.Set(parentNode, "resourceVersion", SystemFields.Format(parent.ResourceVersion));
        var (stored, error) = CommitUpdateLocked(tx, type, parent, parentNode, statusOnly: false);
        return error is not null ? (null, error) : (ScaleRepresentation.Build(type, Load(type, stored!)), null);
    }
}
