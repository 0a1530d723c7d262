using System.Collections.Concurrent;
using k8s.Models;
using OvnUnidler.Operator.Model;

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

    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";

    /// <summary>The managed-by value of the slices a connection holder publishes (observe mode).</summary>
    public const string HolderManagedBy = "holder.unidler.ovn.org";

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

    /// <summary>
    /// The port numbers, by port name, that the Service's own slices with endpoints (ready or not)
    /// declare: ovn-kubernetes takes one number per port name from all of a Service's slices.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, int>> DeclaredPorts(ServiceKey service)
    {
        lock (gate)
        {
            if (!byService.TryGetValue(service, out var keys))
            {
                return [];
            }

            return [.. keys.Select(key => slices[key]).Where(slice => !slice.Holder && slice.Ports is not null).SelectMany(slice => slice.Ports!)];
        }
    }

    public Task NextChange => changed.NextChange;

    public CachedEndpointSlice Keep(V1EndpointSlice item)
    {
        var key = KeyOf(item);
        var owner = item.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var name) == true ? new ServiceKey(key.Namespace, name) : (ServiceKey?)null;
        // A holder's slice names the holder, not a pod: waiting for ready endpoints, feeding a hold
        // and writing backends must never take it for one.
        if (item.Metadata.Labels?.TryGetValue(ManagedByLabel, out var managedBy) == true && string.Equals(managedBy, HolderManagedBy, StringComparison.Ordinal))
        {
            return new CachedEndpointSlice(key, owner, [], null, Holder: true);
        }

        if (item.Endpoints is not { Count: > 0 })
        {
            return new CachedEndpointSlice(key, owner, []);
        }

        var ports = DeclaredPortsOf(item);
        return new CachedEndpointSlice(key, owner, ReadyOf(item, ports), ports);
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

    private static IReadOnlyDictionary<string, int> DeclaredPortsOf(V1EndpointSlice slice) =>
        slice.Ports is { Count: > 0 } declared
            ? declared.Where(port => port.Port is not null)
                .GroupBy(port => port.Name ?? string.Empty)
                .ToDictionary(group => group.Key, group => group.First().Port!.Value, StringComparer.Ordinal)
            : NoPorts;

    private static ReadyEndpoint[] ReadyOf(V1EndpointSlice slice, IReadOnlyDictionary<string, int> ports)
    {
        var ready = new List<ReadyEndpoint>();
        foreach (var endpoint in slice.Endpoints!)
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
