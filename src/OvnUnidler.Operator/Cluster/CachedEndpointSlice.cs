using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Cluster;

/// <summary>An EndpointSlice as the cache keeps it: the Service it belongs to and its ready endpoints.</summary>
public sealed record CachedEndpointSlice(EndpointSliceKey Key, ServiceKey? Owner, ReadyEndpoint[] Ready);
