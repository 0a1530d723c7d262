using System.Net;
using k8s.Models;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// One Service being held: the Service as the decision read it (its ports), the holder's hold, and
/// the address the holder is reached at, which replaces the listeners' own (they may be bound to
/// every address).
/// </summary>
public sealed class ActiveHold(ServiceKey key, V1Service service, IHeldService held, IPAddress advertised, DateTimeOffset startedAt)
{
    private readonly Dictionary<HeldPort, IReadOnlyList<IPEndPoint>> fed = [];

    public ServiceKey Key { get; } = key;

    public V1Service Service { get; } = service;

    public IHeldService Held { get; } = held;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public bool HasEnded => Held.Ended.IsCompleted;

    /// <summary>Where a VIP's backend must point for this port while the hold lasts; null for a port not held.</summary>
    public IPEndPoint? Listener(HeldPort port) =>
        Held.Listeners.TryGetValue(port, out var listener) ? new IPEndPoint(advertised, listener.Port) : null;

    public IEnumerable<IPEndPoint> AllListeners => Held.Listeners.Values.Select(listener => new IPEndPoint(advertised, listener.Port));

    /// <summary>Hands the port its ready endpoints when they differ from the last ones handed; true when it did.</summary>
    internal bool Feed(HeldPort port, IReadOnlyList<IPEndPoint> endpoints)
    {
        if (fed.TryGetValue(port, out var last) && last.Count == endpoints.Count && last.All(endpoints.Contains))
        {
            return false;
        }

        fed[port] = endpoints;
        Held.SetReadyEndpoints(port, endpoints);
        return true;
    }
}
