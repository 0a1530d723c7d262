using System.Net;
using k8s.Models;

namespace OvnUnidler.Lab.Services;

/// <summary>
/// Which endpoints of a Service port become backends, as ovn-kubernetes picks them
/// (go-controller/pkg/util/kube.go, the eligible-endpoint selection; docs/ovn-facts.md): the ready
/// ones (an unset ready condition counts as ready), every one when the Service publishes not-ready
/// addresses, and only when none is ready, those both serving and terminating (KEP-1669). Addresses
/// are normalised, deduplicated and sorted.
/// </summary>
internal static class EligibleEndpoints
{
    public static IReadOnlyList<IPAddress> Addresses(IEnumerable<V1Endpoint> endpoints, bool publishNotReadyAddresses)
    {
        var ready = new List<V1Endpoint>();
        var servingTerminating = new List<V1Endpoint>();
        foreach (var endpoint in endpoints)
        {
            if (publishNotReadyAddresses || IsReady(endpoint))
            {
                ready.Add(endpoint);
            }
            else if (IsServing(endpoint) && endpoint.Conditions?.Terminating == true)
            {
                servingTerminating.Add(endpoint);
            }
        }

        var chosen = ready.Count > 0 ? ready : servingTerminating;
        return [.. chosen
            .SelectMany(endpoint => endpoint.Addresses ?? [])
            .Select(text => IPAddress.TryParse(text, out var address) ? address : null)
            .OfType<IPAddress>()
            .DistinctBy(address => address.ToString())
            .OrderBy(address => address.ToString(), StringComparer.Ordinal)];
    }

    // discovery/v1: "consumers should interpret this unknown state as ready".
    private static bool IsReady(V1Endpoint endpoint) => endpoint.Conditions?.Ready ?? true;

    // discovery/v1: an unset serving condition defers to ready.
    private static bool IsServing(V1Endpoint endpoint) => endpoint.Conditions?.Serving ?? IsReady(endpoint);
}
