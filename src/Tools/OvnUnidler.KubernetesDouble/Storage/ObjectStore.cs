using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;

namespace OvnUnidler.KubernetesDouble.Storage;

// The double's etcd: every write gets the next value of one global revision counter, which
// becomes the object's resourceVersion; the last changes are kept for watches and consistent
// lists. One lock orders writes, history and delivery to watchers, so a watcher sees every
// change exactly once and in order.
internal sealed class ObjectStore
{
    private static readonly Comparer<(string Namespace, string Name)> KeyOrder = Comparer<(string Namespace, string Name)>.Create(
        (a, b) =>
        {
            var byNamespace = string.CompareOrdinal(a.Namespace, b.Namespace);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Name, b.Name);
        });

    private readonly Lock gate = new();
    private readonly Dictionary<string, SortedDictionary<(string Namespace, string Name), StoredObject>> objects = new(StringComparer.Ordinal);

    // The same objects by (storage key, namespace), in name order: a namespaced list reads only its namespace.
    private readonly Dictionary<(string StorageKey, string Namespace), SortedDictionary<string, StoredObject>> byNamespace = [];
    private readonly List<IChangeSubscriber> subscribers = [];
    private readonly WatchHistory history;
    private readonly Func<ResourceType, JsonObject, IReadOnlyDictionary<string, string>> fieldsOf;
    private readonly StoreTransaction transaction;
    private long resourceVersion;

    public ObjectStore(
        int historyWindow, Func<ResourceType, JsonObject, IReadOnlyDictionary<string, string>> fieldsOf, TimeProvider time, TimeSpan compactionInterval)
    {
        // etcd starts its revision at 1.
        resourceVersion = 1;
        history = new WatchHistory(Math.Max(1, historyWindow), resourceVersion, time, compactionInterval);
        this.fieldsOf = fieldsOf;
        transaction = new StoreTransaction(this);
    }

    public long CurrentResourceVersion
    {
        get
        {
            lock (gate)
            {
                return resourceVersion;
            }
        }
    }

    internal long CurrentVersionLocked => resourceVersion;

    public T Transact<T>(Func<StoreTransaction, T> body)
    {
        lock (gate)
        {
            return body(transaction);
        }
    }

    // Registers a watcher. With no resourceVersion it first receives every current object as
    // ADDED ("Get State and Start at Most Recent"); with one, every change after it, or 410 Gone
    // when the history no longer reaches back that far.
    public ApiError? Subscribe(IChangeSubscriber subscriber, long? fromResourceVersion, string? @namespace)
    {
        lock (gate)
        {
            if (fromResourceVersion is { } from)
            {
                if (!history.Covers(from))
                {
                    return ApiError.Expired($"too old resource version: {from} ({history.CompactedThrough + 1})");
                }

                foreach (var change in history.After(from))
                {
                    if (Follows(subscriber, change.Object.Type))
                    {
                        subscriber.OnChange(change);
                    }
                }
            }
            else
            {
                foreach (var (key, table) in objects)
                {
                    if (subscriber.StorageKey is not null && subscriber.StorageKey != key)
                    {
                        continue;
                    }

                    foreach (var stored in table.Values)
                    {
                        if (@namespace is null || stored.Namespace == @namespace)
                        {
                            subscriber.OnChange(new StoreChange(StoreChangeType.Added, stored, null));
                        }
                    }
                }

                subscriber.OnInitialEventsEnd(resourceVersion);
            }

            subscribers.Add(subscriber);
            return null;
        }
    }

    public void Unsubscribe(IChangeSubscriber subscriber)
    {
        lock (gate)
        {
            subscribers.Remove(subscriber);
        }
    }

    // Queues a bookmark after everything already delivered to this subscriber, so the
    // resourceVersion it carries never runs ahead of the events the watcher has been sent.
    public void Bookmark(IChangeSubscriber subscriber)
    {
        lock (gate)
        {
            subscriber.OnBookmark(resourceVersion);
        }
    }

    // Forgets the history, as an etcd compaction does: older resourceVersions become 410 Gone.
    public void Compact()
    {
        lock (gate)
        {
            history.Compact(resourceVersion);
        }
    }

    internal StoredObject? GetLocked(ResourceType storageType, string @namespace, string name) =>
        objects.TryGetValue(storageType.StorageKey, out var table) && table.TryGetValue((@namespace, name), out var stored)
            ? stored
            : null;

    internal IEnumerable<StoredObject> ListLocked(ResourceType storageType, string? @namespace)
    {
        if (!objects.TryGetValue(storageType.StorageKey, out var table))
        {
            return [];
        }

        if (@namespace is null)
        {
            return table.Values;
        }

        return byNamespace.TryGetValue((storageType.StorageKey, @namespace), out var inNamespace) ? inNamespace.Values : [];
    }

    // The objects as they were at a past resourceVersion: today's objects with every later
    // change undone, which the history allows as long as it reaches back that far.
    internal IReadOnlyList<StoredObject>? ListAtLocked(ResourceType storageType, string? @namespace, long at)
    {
        if (at >= resourceVersion)
        {
            return ListLocked(storageType, @namespace).ToList();
        }

        if (!history.Covers(at))
        {
            return null;
        }

        var state = new SortedDictionary<(string Namespace, string Name), StoredObject>(KeyOrder);
        foreach (var stored in ListLocked(storageType, @namespace))
        {
            state[(stored.Namespace, stored.Name)] = stored;
        }

        var undone = new HashSet<(string, string)>();
        foreach (var change in history.After(at))
        {
            var changed = change.Object;
            if (changed.Type.StorageKey != storageType.StorageKey || (@namespace is not null && changed.Namespace != @namespace))
            {
                continue;
            }

            var key = (changed.Namespace, changed.Name);
            if (!undone.Add(key))
            {
                continue;
            }

            if (change.Previous is { } previous)
            {
                state[key] = previous;
            }
            else
            {
                state.Remove(key);
            }
        }

        return state.Values.ToList();
    }

    internal bool HistoryCoversLocked(long at) => history.Covers(at);

    internal StoredObject PutLocked(ResourceType storageType, JsonObject obj)
    {
        var version = ++resourceVersion;
        ObjectMetadata.Set(obj, "resourceVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var stored = Snapshot(storageType, obj, version);
        var table = TableOf(storageType);
        var key = (stored.Namespace, stored.Name);
        table.TryGetValue(key, out var previous);
        table[key] = stored;
        if (!byNamespace.TryGetValue((storageType.StorageKey, stored.Namespace), out var inNamespace))
        {
            inNamespace = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            byNamespace[(storageType.StorageKey, stored.Namespace)] = inNamespace;
        }

        inNamespace[stored.Name] = stored;
        Publish(new StoreChange(previous is null ? StoreChangeType.Added : StoreChangeType.Modified, stored, previous));
        return stored;
    }

    internal StoredObject? RemoveLocked(ResourceType storageType, string @namespace, string name)
    {
        var table = TableOf(storageType);
        if (!table.Remove((@namespace, name), out var previous))
        {
            return null;
        }

        if (byNamespace.TryGetValue((storageType.StorageKey, @namespace), out var inNamespace))
        {
            inNamespace.Remove(name);
            if (inNamespace.Count == 0)
            {
                byNamespace.Remove((storageType.StorageKey, @namespace));
            }
        }

        // The DELETED event carries the object's last state at the revision of the deletion.
        var version = ++resourceVersion;
        var final = previous.ToNode();
        ObjectMetadata.Set(final, "resourceVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var stored = Snapshot(storageType, final, version);
        Publish(new StoreChange(StoreChangeType.Deleted, stored, previous));
        return stored;
    }

    private static bool Follows(IChangeSubscriber subscriber, ResourceType type) =>
        subscriber.StorageKey is null || subscriber.StorageKey == type.StorageKey;

    private SortedDictionary<(string Namespace, string Name), StoredObject> TableOf(ResourceType storageType)
    {
        if (!objects.TryGetValue(storageType.StorageKey, out var table))
        {
            table = new SortedDictionary<(string Namespace, string Name), StoredObject>(KeyOrder);
            objects[storageType.StorageKey] = table;
        }

        return table;
    }

    private StoredObject Snapshot(ResourceType storageType, JsonObject obj, long version) => new()
    {
        Type = storageType,
        Namespace = ObjectMetadata.Namespace(obj),
        Name = ObjectMetadata.Name(obj),
        ResourceVersion = version,
        Json = JsonSerializer.SerializeToUtf8Bytes(obj),
        Labels = new Dictionary<string, string>(ObjectMetadata.Labels(obj), StringComparer.Ordinal),
        Fields = fieldsOf(storageType, obj),
        Uid = ObjectMetadata.Uid(obj),
        OwnerUids = ObjectMetadata.Of(obj)["ownerReferences"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } owners
            ? owners.Select(owner => JsonAccess.String(owner, "uid")).OfType<string>().ToArray()
            : [],
    };

    private void Publish(StoreChange change)
    {
        history.Add(change);
        foreach (var subscriber in subscribers)
        {
            if (Follows(subscriber, change.Object.Type))
            {
                subscriber.OnChange(change);
            }
        }
    }
}
