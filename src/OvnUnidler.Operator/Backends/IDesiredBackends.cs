using k8s.Models;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// What one VIP's backends should be, for the <see cref="BackendsReconciler"/> (mode write). The one
/// seam for anything that must point a VIP elsewhere for a while (e.g. holding connections during a
/// wake): register another implementation, falling back to <see cref="EndpointDesiredBackends"/>.
/// </summary>
public interface IDesiredBackends
{
    /// <summary>Completes when what it says may have changed for reasons of its own (not the caches the reconciler already follows).</summary>
    Task NextChange { get; }

    /// <returns>The backends in ovn-nb(5) vips syntax ("" for none), or null to leave the VIP as it is.</returns>
    string? For(V1Service service, BackendTarget target);
}
