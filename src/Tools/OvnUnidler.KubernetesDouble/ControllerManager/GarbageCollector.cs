using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// The garbage collector (Kubernetes "Garbage Collection", "Owners and dependents"): it learns
// every object's owners from the store's changes and, when an owner is deleted, deletes the
// dependents that have no other owner (background cascading deletion). A dependent with another
// owner keeps living, as its remaining owner still holds it.
internal sealed class GarbageCollector(ResourceRegistry registry)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<(ResourceType Type, string Namespace, string Name)>> dependents = new(StringComparer.Ordinal);

    // From the change feed, in resourceVersion order: the dependents a deleted owner leaves.
    public IReadOnlyList<(ResourceType Type, string Namespace, string Name)> Observe(StoreChange change)
    {
        var stored = change.Object;
        lock (gate)
        {
            var key = (stored.Type, stored.Namespace, stored.Name);
            foreach (var owner in change.Previous?.OwnerUids ?? [])
            {
                if (dependents.TryGetValue(owner, out var set))
                {
                    set.Remove(key);
                }
            }

            if (change.Type == StoreChangeType.Deleted)
            {
                return stored.Uid.Length > 0 && dependents.Remove(stored.Uid, out var orphans) ? [.. orphans] : [];
            }

            foreach (var owner in stored.OwnerUids)
            {
                if (!dependents.TryGetValue(owner, out var set))
                {
                    set = [];
                    dependents[owner] = set;
                }

                set.Add(key);
            }

            return [];
        }
    }

    public void CollectLocked(StoreTransaction tx, string ownerUid, IReadOnlyList<(ResourceType Type, string Namespace, string Name)> orphans)
    {
        foreach (var (type, @namespace, name) in orphans)
        {
            var current = tx.Get(type, @namespace, name);
            if (current is not null && current.OwnerUids.Count == 1 && current.OwnerUids[0] == ownerUid)
            {
                registry.DeleteLocked(tx, type, @namespace, name);
            }
        }
    }
}
