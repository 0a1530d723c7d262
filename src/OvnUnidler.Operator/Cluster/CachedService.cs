using k8s.Models;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Cluster;

/// <summary>A Service as the cache keeps it: its frontends for the VIP index and a copy holding only identity and ports.</summary>
public sealed record CachedService(ServiceKey Key, V1Service Service, IReadOnlyList<ServiceFrontend> Frontends);
