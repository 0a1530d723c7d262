using System.Collections.Concurrent;
using k8s.Models;
using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Cluster;

/// <summary>
/// The ready endpoints of every EndpointSlice, grouped by the Service named in its
/// kubernetes.io/service-name label, with a signal on every change so a wake can wait for ready
/// endpoints without polling. Only what a wake reads is kept (an EndpointSlice object is mostly
/// metadata the operator never looks at), and a Service's slices are found without a scan.
/// </summary>
public sealed class EndpointSliceCache : IResourceCache<V1EndpointSlice, CachedEndpointSlice>
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private static readonly IReadOnlyDictionary<string, int> NoPorts = new Dictionary<string, int>();

    private readonly Dictionary<EndpointSliceKey, CachedEndpointSlice> slices = [];
    // Almost every Service has one slice (a new one starts past 100 endpoints): arrays, not sets.
    private readonly Dictionary<ServiceKey, EndpointSliceKey[]> byService = [];
    private readonly Lock gate = new();
    private readonly ChangeSignal changed = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return slices.Count;
            }
        }
    }

    public IReadOnlyList<ReadyEndpoint> ReadyEndpoints(ServiceKey service)
    {
        lock (gate)
        {
            if (!byService.TryGetValue(service, out var keys))
            {
                return [];
            }

            var ready = new List<ReadyEndpoint>();
            foreach (var key in keys)
            {
                ready.AddRange(slices[key].Ready);
            }

            return ready;
        }
    }

    public Task NextChange => changed.NextChange;

    public CachedEndpointSlice Keep(V1EndpointSlice item)
    {
        var key = KeyOf(item);
        var owner = item.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var name) == true ? new ServiceKey(key.Namespace, name) : (ServiceKey?)null;
        return new CachedEndpointSlice(key, owner, ReadyOf(item));
    }

    public void Replace(string? @namespace, IReadOnlyCollection<CachedEndpointSlice> items)
    {
        lock (gate)
        {
            var keep = new HashSet<EndpointSliceKey>();
            foreach (var item in items)
            {
                Store(item);
                keep.Add(item.Key);
            }

            var inScope = slices.Keys.Where(key => @namespace is null || string.Equals(key.Namespace, @namespace, StringComparison.Ordinal));
            foreach (var stale in inScope.Where(key => !keep.Contains(key)).ToArray())
            {
                Forget(stale);
            }
        }

        changed.Raise();
    }

    public void Upsert(CachedEndpointSlice item)
    {
        lock (gate)
        {
            Store(item);
        }

        changed.Raise();
    }

    public void Remove(V1EndpointSlice item)
    {
        lock (gate)
        {
            Forget(KeyOf(item));
        }

        changed.Raise();
    }

    private void Store(CachedEndpointSlice item)
    {
        if (slices.TryGetValue(item.Key, out var previous) && previous.Owner != item.Owner)
        {
            Forget(item.Key);
        }

        slices[item.Key] = item;
        if (item.Owner is { } service)
        {
            var keys = byService.GetValueOrDefault(service, []);
            if (!keys.Contains(item.Key))
            {
                byService[service] = [.. keys, item.Key];
            }
        }
    }

    private void Forget(EndpointSliceKey key)
    {
        if (slices.Remove(key, out var removed) && removed.Owner is { } service && byService.TryGetValue(service, out var keys))
        {
            EndpointSliceKey[] rest = [.. keys.Where(other => other != key)];
            if (rest.Length == 0)
            {
                byService.Remove(service);
            }
            else
            {
                byService[service] = rest;
            }
        }
    }

    private static ReadyEndpoint[] ReadyOf(V1EndpointSlice slice)
    {
        if (slice.Endpoints is not { Count: > 0 } endpoints)
        {
            return [];
        }

        IReadOnlyDictionary<string, int> ports = slice.Ports is { Count: > 0 } declared
            ? declared.Where(port => port.Port is not null)
                .GroupBy(port => port.Name ?? string.Empty)
                .ToDictionary(group => group.Key, group => group.First().Port!.Value, StringComparer.Ordinal)
            : NoPorts;
        var ready = new List<ReadyEndpoint>();
        foreach (var endpoint in endpoints)
        {
            // EndpointConditions: a nil ready means ready (discovery.k8s.io/v1 API reference).
            if (endpoint.Conditions?.Ready is false)
            {
                continue;
            }

            ready.AddRange((endpoint.Addresses ?? []).Select(address => new ReadyEndpoint(address, ports)));
        }

        return [.. ready];
    }

    private static EndpointSliceKey KeyOf(V1EndpointSlice item) => new(string.Intern(item.Metadata.NamespaceProperty ?? "default"), item.Metadata.Name);
}
