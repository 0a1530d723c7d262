using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Cluster;

/// <summary>An EndpointSlice as the cache keeps it: the Service it belongs to and its ready endpoints.</summary>
/// <param name="Ports">The port numbers it declares by name, when it has endpoints (ready or not).</param>
/// <param name="Holder">Published by a connection holder: its endpoint is never one of the Service's own.</param>
public sealed record CachedEndpointSlice(EndpointSliceKey Key, ServiceKey? Owner, ReadyEndpoint[] Ready,
    IReadOnlyDictionary<string, int>? Ports = null, bool Holder = false);
