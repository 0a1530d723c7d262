using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

// The API server's generic registry: the REST semantics of each verb (preconditions, status and
// scale subresources, server-owned fields, defaulting, validation) over the object store.
// Operations on one object run inside one store transaction, so a read-check-write is atomic.
internal sealed partial class ResourceRegistry(ObjectStore store, ResourceCatalog catalog, TimeProvider time)
{
    private readonly RepresentationConverter converter = new(catalog);
    private readonly ServiceAddressAllocator addresses = new();

    public ResourceCatalog Catalog => catalog;

    public RepresentationConverter Converter => converter;

    public ObjectStore Store => store;

    public T Transact<T>(Func<StoreTransaction, T> body) => store.Transact(body);

    internal StoredObject? GetLocked(StoreTransaction tx, ResourceType type, string @namespace, string name) =>
        tx.Get(converter.StorageTypeOf(type), @namespace, name);

    internal IEnumerable<StoredObject> ListLocked(StoreTransaction tx, ResourceType type, string? @namespace) =>
        tx.List(converter.StorageTypeOf(type), @namespace);

    internal JsonObject Load(ResourceType type, StoredObject stored) => converter.FromStorage(type, stored.ToNode());

    private StoredObject Save(StoreTransaction tx, ResourceType type, JsonObject obj) =>
        tx.Put(converter.StorageTypeOf(type), converter.ToStorage(type, obj));

    // apiVersion and kind, when the client sends them, must name the resource of the URL.
    private static ApiError? CheckTypeMeta(ResourceType type, JsonObject body, string expectedApiVersion, string expectedKind)
    {
        if (body["apiVersion"] is { } apiVersionNode && JsonAccess.String(apiVersionNode) is var apiVersion && apiVersion != expectedApiVersion)
        {
            return ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expectedApiVersion})");
        }

        if (body["kind"] is { } kindNode && JsonAccess.String(kindNode) is var kind && kind != expectedKind)
        {
            return ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({expectedKind}) for {type.GroupResource}");
        }

        if (body["metadata"] is { } metadata && metadata is not JsonObject)
        {
            return ApiError.BadRequest("metadata must be an object");
        }

        var meta = body["metadata"] as JsonObject;
        foreach (var field in new[] { "name", "namespace", "generateName", "resourceVersion", "uid" })
        {
            if (meta?[field] is { } value && JsonAccess.String(value) is null)
            {
                return ApiError.BadRequest($"metadata.{field} must be a string");
            }
        }

        foreach (var field in new[] { "labels", "annotations" })
        {
            if (meta?[field] is { } map && JsonAccess.StringMap(map) is null)
            {
                return ApiError.BadRequest($"metadata.{field} must be a map of string to string");
            }
        }

        return null;
    }

    // The namespace in the body, when set, must be the URL's (or absent for cluster resources).
    private static ApiError? ApplyNamespace(ResourceType type, JsonObject body, string @namespace)
    {
        var metadata = ObjectMetadata.Of(body);
        var bodyNamespace = JsonAccess.String(metadata, "namespace") ?? "";
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return null;
        }

        if (bodyNamespace.Length > 0 && bodyNamespace != @namespace)
        {
            return ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = @namespace;
        return null;
    }
}
