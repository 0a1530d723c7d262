using k8s.Models;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Backends;

/// <summary>A VIP's backends are its Service's ready EndpointSlice addresses, on the port the VIP serves.</summary>
public sealed class EndpointDesiredBackends(EndpointSliceCache endpointSlices) : IDesiredBackends
{
    private static readonly Task Never = new TaskCompletionSource().Task;

    /// <summary>It reads only the EndpointSlices and the Service, whose changes the reconciler follows already.</summary>
    public Task NextChange => Never;

    public string? For(V1Service service, BackendTarget target) =>
        BackendList.Serves(service, target)
            ? BackendList.For(service, target, endpointSlices.ReadyEndpoints(new ServiceKey(service.Metadata.NamespaceProperty, service.Metadata.Name)))
            : null;
}
