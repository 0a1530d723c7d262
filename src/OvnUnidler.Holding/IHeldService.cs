using System.Net;

namespace OvnUnidler.Holding;

/// <summary>A Service whose ports a holder is listening for, from <see cref="IConnectionHolder.Hold"/> until it ends.</summary>
public interface IHeldService
{
    HoldRequest Request { get; }

    /// <summary>Where the VIP's backends must point while the hold lasts: the holder's address and one port per held port (by <see cref="HeldPort"/>).</summary>
    IReadOnlyDictionary<HeldPort, IPEndPoint> Listeners { get; }

    /// <summary>
    /// The Service's ready endpoints for a port, on the Service's own target port (the only
    /// destinations the holder ever forwards to). Held flows are forwarded as soon as there is one;
    /// an empty list keeps holding.
    /// </summary>
    void SetReadyEndpoints(HeldPort port, IReadOnlyList<IPEndPoint> endpoints);

    /// <summary>Ends the hold; a second call does nothing. Completes once the listeners are closed.</summary>
    Task EndAsync(HoldEnd end);

    /// <summary>Completes when the hold has ended, by <see cref="EndAsync"/> or at its deadline.</summary>
    Task<HoldEnd> Ended { get; }

    /// <summary>What the hold took in so far and what became of it.</summary>
    HoldCounts Counts { get; }

    /// <summary>
    /// Completes, with the counts then, once the hold has ended and nothing it took in waits for an
    /// endpoint any more: each connection and flow was handed to a pod or given up (reset, dropped).
    /// A hold that drained while a port still had no endpoint settles at its deadline at the latest.
    /// Connections relayed on afterwards change no count but a reset of theirs.
    /// </summary>
    Task<HoldCounts> Settled { get; }
}
