using System.Collections.Concurrent;
using k8s.Models;
using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Cluster;

/// <summary>The Services the operator watches, and the VIP index derived from them.</summary>
public sealed class ServiceCache(ServiceVipIndex index) : IResourceCache<V1Service>
{
    private readonly ConcurrentDictionary<ServiceKey, V1Service> services = new();
    private readonly Lock replaceGate = new();

    public int Count => services.Count;

    public bool TryGet(ServiceKey key, out V1Service service) => services.TryGetValue(key, out service!);

    public void Replace(IReadOnlyCollection<V1Service> items)
    {
        lock (replaceGate)
        {
            var keep = new HashSet<ServiceKey>();
            foreach (var item in items)
            {
                keep.Add(Upsert(item));
            }

            foreach (var stale in services.Keys.Where(key => !keep.Contains(key)).ToArray())
            {
                services.TryRemove(stale, out _);
                index.Remove(stale);
            }
        }
    }

    void IResourceCache<V1Service>.Upsert(V1Service item) => Upsert(item);

    public void Remove(V1Service item)
    {
        var key = KeyOf(item);
        services.TryRemove(key, out _);
        index.Remove(key);
    }

    private ServiceKey Upsert(V1Service item)
    {
        var key = KeyOf(item);
        services[key] = item;
        index.Upsert(key, ServiceFrontends.From(item));
        return key;
    }

    private static ServiceKey KeyOf(V1Service item) => new(item.Metadata.NamespaceProperty ?? "default", item.Metadata.Name);
}
