using System.Collections.Concurrent;
using k8s.Models;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Cluster;

/// <summary>
/// The Services the operator watches, and the VIP index derived from them. The cache keeps what
/// the operator reads of a Service after indexing it (identity and ports), not the whole object:
/// at tens of thousands of Services the rest is most of the memory.
/// </summary>
public sealed class ServiceCache(ServiceVipIndex index) : IResourceCache<V1Service, CachedService>
{
    private readonly ConcurrentDictionary<ServiceKey, V1Service> services = new();
    private readonly Lock replaceGate = new();
    private readonly ChangeSignal changed = new();

    /// <summary>Completes at the next change; lets the backends reconciler and held wakes wait without polling.</summary>
    public Task NextChange => changed.NextChange;

    public int Count => services.Count;

    public bool TryGet(ServiceKey key, out V1Service service) => services.TryGetValue(key, out service!);

    public CachedService Keep(V1Service item)
    {
        var key = KeyOf(item);
        return new CachedService(key, Trimmed(item, key), ServiceFrontends.From(item));
    }

    public void Replace(string? @namespace, IReadOnlyCollection<CachedService> items)
    {
        lock (replaceGate)
        {
            var keep = new HashSet<ServiceKey>();
            foreach (var item in items)
            {
                Upsert(item);
                keep.Add(item.Key);
            }

            var inScope = services.Keys.Where(key => @namespace is null || string.Equals(key.Namespace, @namespace, StringComparison.Ordinal));
            foreach (var stale in inScope.Where(key => !keep.Contains(key)).ToArray())
            {
                services.TryRemove(stale, out _);
                index.Remove(stale);
            }
        }

        changed.Raise();
    }

    public void Upsert(CachedService item)
    {
        index.Upsert(item.Key, item.Frontends);
        services[item.Key] = item.Service;
        changed.Raise();
    }

    public void Remove(V1Service item)
    {
        var key = KeyOf(item);
        services.TryRemove(key, out _);
        index.Remove(key);
        changed.Raise();
    }

    private static V1Service Trimmed(V1Service item, ServiceKey key) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = key.Name,
            NamespaceProperty = key.Namespace,
            Uid = item.Metadata.Uid,
            ResourceVersion = item.Metadata.ResourceVersion,
            // Only the idle period's stamp: a hold ends when its Service is idled anew.
            Annotations = IdledAtOf(item),
        },
        Spec = new V1ServiceSpec
        {
            Ports = item.Spec?.Ports?.Select(port => new V1ServicePort
            {
                Name = Shared(port.Name),
                Port = port.Port,
                NodePort = port.NodePort,
                Protocol = Shared(port.Protocol),
                TargetPort = port.TargetPort,
            }).ToList(),
        },
    };

    /// <summary>
    /// Namespaces, port names (at most 15 characters, IANA_SVC_NAME) and protocols repeat across
    /// thousands of Services; one shared instance each instead of one per object.
    /// </summary>
    private static string? Shared(string? text) => text is null ? null : string.Intern(text);

    private static Dictionary<string, string>? IdledAtOf(V1Service item)
    {
        var stamps = item.Metadata.Annotations?.Where(pair => OvnUnidler.Idling.Annotations.IdleAnnotations.IsIdledAtKey(pair.Key)).ToDictionary(StringComparer.Ordinal);
        return stamps is { Count: > 0 } ? stamps : null;
    }

    private static ServiceKey KeyOf(V1Service item) => new(Shared(item.Metadata.NamespaceProperty) ?? "default", item.Metadata.Name);
}
