using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

internal sealed partial class ResourceRegistry
{
    // Deletion is immediate (no finalizers, no graceful period). DeleteOptions.preconditions
    // (uid, resourceVersion) are honoured with 409. Deleting a namespace deletes what it holds.
    public ApiResult Delete(ResourceType type, string @namespace, string name, JsonObject? options)
    {
        var preconditions = JsonAccess.Object(options, "preconditions");
        var (final, error) = store.Transact<(StoredObject?, ApiError?)>(tx =>
        {
            var current = GetLocked(tx, type, @namespace, name);
            if (current is null)
            {
                return (null, ApiError.NotFound(type, name));
            }

            var currentNode = current.ToNode();
            if (JsonAccess.String(preconditions, "uid") is { Length: > 0 } uid && uid != ObjectMetadata.Uid(currentNode))
            {
                return (null, ApiError.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMetadata.Uid(currentNode)}"));
            }

            if (JsonAccess.String(preconditions, "resourceVersion") is { Length: > 0 } version && version != SystemFields.Format(current.ResourceVersion))
            {
                return (null, ApiError.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in object meta: {SystemFields.Format(current.ResourceVersion)}"));
            }

            if (ReferenceEquals(type, catalog.Namespaces))
            {
                DeleteNamespaceContentsLocked(tx, name);
            }

            if (ReferenceEquals(type, catalog.CustomResourceDefinitions))
            {
                DeleteCustomResourcesLocked(tx, current);
            }

            return (DeleteLocked(tx, type, @namespace, name), null);
        });
        if (error is not null)
        {
            return error;
        }

        return type.ReturnsDeletedObject ? ApiResult.Ok(converter.Render(type, final!)) : ApiResult.Ok(SuccessStatus(type, final!));
    }

    public ApiResult DeleteCollection(ResourceType type, string? @namespace, ListQuery query)
    {
        if (CheckFieldSelector(type, query.FieldSelector) is { } selectorError)
        {
            return selectorError;
        }

        var (deleted, resourceVersion) = store.Transact(tx =>
        {
            var matching = ListLocked(tx, type, @namespace)
                .Where(stored => query.LabelSelector.Matches(stored.Labels) && query.FieldSelector.Matches(stored.Fields))
                .ToList();
            var removed = matching.Select(stored => DeleteLocked(tx, type, stored.Namespace, stored.Name)).OfType<StoredObject>().ToList();
            return (removed, tx.ResourceVersion);
        });
        return ApiResult.Ok(WriteList(type, deleted, resourceVersion, null, null));
    }

    internal StoredObject? DeleteLocked(StoreTransaction tx, ResourceType type, string @namespace, string name)
    {
        var current = GetLocked(tx, type, @namespace, name);
        if (current is not null && type.Kind == "Service" && !type.IsCustom)
        {
            addresses.Release(JsonAccess.Object(current.ToNode(), "spec"));
        }

        return tx.Remove(converter.StorageTypeOf(type), @namespace, name);
    }

    private void DeleteNamespaceContentsLocked(StoreTransaction tx, string @namespace)
    {
        foreach (var storageType in catalog.All.Where(type => type.Namespaced).Select(converter.StorageTypeOf).Distinct())
        {
            foreach (var stored in ListLocked(tx, storageType, @namespace).ToList())
            {
                DeleteLocked(tx, storageType, stored.Namespace, stored.Name);
            }
        }
    }

    private static JsonObject SuccessStatus(ResourceType type, StoredObject deleted)
    {
        var details = new JsonObject { ["name"] = deleted.Name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        details["uid"] = ObjectMetadata.Uid(deleted.ToNode());
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }
}
