using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Admission;
using OvnUnidler.KubernetesDouble.CustomResources;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

internal sealed partial class ResourceRegistry
{
    public ApiResult Update(ResourceType type, string @namespace, string name, JsonObject body, bool statusOnly)
    {
        if ((CheckTypeMeta(type, body, type.ApiVersion, type.Kind) ?? ApplyNamespace(type, body, @namespace)) is { } badRequest)
        {
            return badRequest;
        }

        var bodyName = ObjectMetadata.Name(body);
        if (bodyName != name)
        {
            return ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var (stored, error) = store.Transact<(StoredObject?, ApiError?)>(tx =>
        {
            var current = GetLocked(tx, type, @namespace, name);
            return current is null ? (null, ApiError.NotFound(type, name)) : CommitUpdateLocked(tx, type, current, body, statusOnly);
        });
        return error ?? ApiResult.Ok(converter.Render(type, stored!));
    }

    // The update path shared by PUT, PATCH, /status, /scale and the simulated controllers:
    // optimistic concurrency on metadata.resourceVersion, status kept apart when it has its own
    // subresource, server-owned fields carried over, generation bumped on spec changes, and no
    // write at all (no new resourceVersion, no event) when nothing changed.
    internal (StoredObject? Stored, ApiError? Error) CommitUpdateLocked(
        StoreTransaction tx, ResourceType type, StoredObject currentStored, JsonObject incoming, bool statusOnly)
    {
        var name = currentStored.Name;
        var requestedVersion = ObjectMetadata.ResourceVersion(incoming);
        if (requestedVersion.Length > 0)
        {
            if (!long.TryParse(requestedVersion, CultureInfo.InvariantCulture, out var version))
            {
                return (null, ApiError.BadRequest($"invalid resource version: {requestedVersion}"));
            }

            if (version != currentStored.ResourceVersion)
            {
                return (null, ApiError.Conflict(type, name));
            }
        }
        else if (!type.AllowUnconditionalUpdate)
        {
            return (null, ApiError.Invalid(type, name, [FieldError.Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")]));
        }

        var current = Load(type, currentStored);
        var requestedUid = ObjectMetadata.Uid(incoming);
        if (requestedUid.Length > 0 && requestedUid != ObjectMetadata.Uid(current))
        {
            return (null, ApiError.Conflict(type, name, $"Precondition failed: UID in precondition: {requestedUid}, UID in object meta: {ObjectMetadata.Uid(current)}"));
        }

        JsonObject next;
        if (statusOnly)
        {
            next = (JsonObject)current.DeepClone();
            if (incoming["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }
        else
        {
            next = (JsonObject)incoming.DeepClone();
            if (type.HasStatusSubresource)
            {
                if (current["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }
        }

        next["apiVersion"] = type.ApiVersion;
        next["kind"] = type.Kind;
        if (MicroTimeDecoding.Check(type, next) is { } undecodable)
        {
            return (null, undecodable);
        }

        SystemFields.CarryOver(current, next);
        if (!statusOnly)
        {
            ObjectDefaulter.Apply(type, next);
        }

        List<FieldError> errors = [.. CustomResourceAdmission.Admit(type, next, statusOnly, time), .. ObjectValidator.Validate(type, next, current)];
        if (errors.Count == 0 && !statusOnly && type.Kind == "Service" && !type.IsCustom)
        {
            errors = addresses.Allocate(JsonAccess.EnsureObject(next, "spec"), JsonAccess.Object(current, "spec"));
        }

        if (errors.Count > 0)
        {
            return (null, ApiError.Invalid(type, name, errors));
        }

        if (!statusOnly)
        {
            SystemFields.BumpGenerationIfSpecChanged(type, current, next);
        }

        var unchanged = (JsonObject)next.DeepClone();
        ObjectMetadata.Set(unchanged, "resourceVersion", SystemFields.Format(currentStored.ResourceVersion));
        if (JsonNode.DeepEquals(unchanged, current))
        {
            return (currentStored, null);
        }

        if (type.Kind == "Service" && !type.IsCustom && !statusOnly)
        {
            addresses.ReleaseDropped(JsonAccess.Object(current, "spec"), JsonAccess.EnsureObject(next, "spec"));
        }

        return (Save(tx, type, next), null);
    }
}
