using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Admission;
using OvnUnidler.KubernetesDouble.CustomResources;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

internal sealed partial class ResourceRegistry
{
    private const int GenerateNameAttempts = 8;

    public ApiResult Create(ResourceType type, string @namespace, JsonObject body)
    {
        var (stored, error) = store.Transact(tx => CreateLocked(tx, type, @namespace, body));
        return error ?? ApiResult.Ok(converter.Render(type, stored!), 201);
    }

    internal (StoredObject? Stored, ApiError? Error) CreateLocked(StoreTransaction tx, ResourceType type, string @namespace, JsonObject body)
    {
        if ((CheckTypeMeta(type, body, type.ApiVersion, type.Kind) ?? ApplyNamespace(type, body, @namespace)) is { } badRequest)
        {
            return (null, badRequest);
        }

        var metadata = ObjectMetadata.Of(body);

        // The storage layer refuses it, which the API server reports as an internal error.
        if (!string.IsNullOrEmpty(JsonAccess.String(metadata, "resourceVersion")))
        {
            return (null, ApiError.Internal("resourceVersion should not be set on objects to be created"));
        }

        var generateName = JsonAccess.String(metadata, "generateName") ?? "";
        var name = JsonAccess.String(metadata, "name") ?? "";
        if (name.Length == 0 && generateName.Length == 0)
        {
            return (null, ApiError.Invalid(type, "", [FieldError.Required("metadata.name", "name or generateName is required")]));
        }

        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
        if (type.HasStatusSubresource)
        {
            // Status is written through /status by controllers, never by a create.
            body.Remove("status");
        }

        SystemFields.StampNew(type, body, time);
        if (name.Length == 0)
        {
            name = NameGenerator.Generate(generateName);
            for (var attempt = 1; attempt < GenerateNameAttempts && GetLocked(tx, type, @namespace, name) is not null; attempt++)
            {
                name = NameGenerator.Generate(generateName);
            }

            metadata["name"] = name;
        }

        if ((MicroTimeDecoding.Check(type, body) ?? NamespaceLifecycle.CheckCreate(type, @namespace, ns => GetLocked(tx, catalog.Namespaces, "", ns) is not null)) is { } refused)
        {
            return (null, refused);
        }

        ObjectDefaulter.Apply(type, body);
        List<FieldError> errors = [.. CustomResourceAdmission.Admit(type, body, statusOnly: false, time), .. ObjectValidator.Validate(type, body, null)];
        if (errors.Count > 0)
        {
            return (null, ApiError.Invalid(type, name, errors));
        }

        if (GetLocked(tx, type, type.Namespaced ? @namespace : "", name) is not null)
        {
            return (null, ApiError.AlreadyExists(type, name));
        }

        if (type.Kind == "Service" && !type.IsCustom)
        {
            var allocation = addresses.Allocate(JsonAccess.EnsureObject(body, "spec"), null);
            if (allocation.Count > 0)
            {
                return (null, ApiError.Invalid(type, name, allocation));
            }
        }

        return (Save(tx, type, body), null);
    }
}
