using k8s.Models;
using OvnUnidler.Operator.Backends;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Mode write: while a Service is held and has no ready endpoint, each of its VIPs points at the
/// holder's listener for the port the VIP serves; otherwise the VIP's backends are its ready
/// endpoints (<see cref="EndpointDesiredBackends"/>). The first ready endpoint moves the VIP to the
/// pods at once; the hold then drains.
/// </summary>
public sealed class HoldingDesiredBackends(ActiveHolds holds, EndpointSliceCache endpointSlices) : IDesiredBackends
{
    private readonly EndpointDesiredBackends endpoints = new(endpointSlices);

    public Task NextChange => holds.NextChange;

    public string? For(V1Service service, BackendTarget target)
    {
        var key = new ServiceKey(service.Metadata.NamespaceProperty, service.Metadata.Name);
        if (holds.TryGet(key, out var hold) && !hold.HasEnded && endpointSlices.ReadyEndpoints(key).Count == 0
            && HeldServicePorts.ServedBy(service, target.Vip, target.Protocol) is { } port
            && hold.Listener(port) is { } listener && listener.AddressFamily == target.Vip.Address.AddressFamily)
        {
            return HoldTracker.Format(listener);
        }

        return endpoints.For(service, target);
    }
}
