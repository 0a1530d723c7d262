using System.Collections.Concurrent;
using k8s.Models;
using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Cluster;

/// <summary>
/// EndpointSlices grouped by the Service named in their kubernetes.io/service-name label, with a
/// signal on every change so a wake can wait for ready endpoints without polling.
/// </summary>
public sealed class EndpointSliceCache : IResourceCache<V1EndpointSlice>
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly ConcurrentDictionary<(string Namespace, string Name), V1EndpointSlice> slices = new();
    private readonly ChangeSignal changed = new();

    public IReadOnlyList<ReadyEndpoint> ReadyEndpoints(ServiceKey service)
    {
        var ready = new List<ReadyEndpoint>();
        foreach (var slice in slices.Values)
        {
            if (slice.Metadata.NamespaceProperty != service.Namespace
                || slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var owner) != true || owner != service.Name)
            {
                continue;
            }

            var ports = (slice.Ports ?? []).Where(port => port.Port is not null)
                .GroupBy(port => port.Name ?? string.Empty)
                .ToDictionary(group => group.Key, group => group.First().Port!.Value, StringComparer.Ordinal);
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                // EndpointConditions: a nil ready means ready (discovery.k8s.io/v1 API reference).
                if (endpoint.Conditions?.Ready is false)
                {
                    continue;
                }

                ready.AddRange(endpoint.Addresses.Select(address => new ReadyEndpoint(address, ports)));
            }
        }

        return ready;
    }

    public Task NextChange => changed.NextChange;

    public void Replace(IReadOnlyCollection<V1EndpointSlice> items)
    {
        var keep = new HashSet<(string, string)>();
        foreach (var item in items)
        {
            keep.Add(KeyOf(item));
            slices[KeyOf(item)] = item;
        }

        foreach (var stale in slices.Keys.Where(key => !keep.Contains(key)).ToArray())
        {
            slices.TryRemove(stale, out _);
        }

        changed.Raise();
    }

    public void Upsert(V1EndpointSlice item)
    {
        slices[KeyOf(item)] = item;
        changed.Raise();
    }

    public void Remove(V1EndpointSlice item)
    {
        slices.TryRemove(KeyOf(item), out _);
        changed.Raise();
    }

    private static (string, string) KeyOf(V1EndpointSlice item) => (item.Metadata.NamespaceProperty ?? "default", item.Metadata.Name);
}
