using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Storage;

// The operations allowed while the store's lock is held; handed out by ObjectStore.Transact.
internal sealed class StoreTransaction(ObjectStore store)
{
    public long ResourceVersion => store.CurrentVersionLocked;

    public StoredObject? Get(ResourceType storageType, string @namespace, string name) =>
        store.GetLocked(storageType, @namespace, name);

    public IEnumerable<StoredObject> List(ResourceType storageType, string? @namespace) =>
        store.ListLocked(storageType, @namespace);

    public IReadOnlyList<StoredObject>? ListAt(ResourceType storageType, string? @namespace, long resourceVersion) =>
        store.ListAtLocked(storageType, @namespace, resourceVersion);

    public bool HistoryCovers(long resourceVersion) => store.HistoryCoversLocked(resourceVersion);

    public StoredObject Put(ResourceType storageType, JsonObject obj) => store.PutLocked(storageType, obj);

    public StoredObject? Remove(ResourceType storageType, string @namespace, string name) =>
        store.RemoveLocked(storageType, @namespace, name);
}
