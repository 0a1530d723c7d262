namespace OvnUnidler.Holding.Observability;

/// <summary>
/// What the holder reports as it works, for the host to turn into metrics (the operator adapts it
/// to its prometheus-net counters; this library depends on no metrics package). Called on the
/// holder's socket threads: implementations must be cheap and must not throw.
/// </summary>
public interface IHoldingObserver
{
    /// <summary>A TCP connection or a UDP flow (its first datagram) arrived and is held until an endpoint is ready.</summary>
    void ConnectionHeld(string service, HeldPort port);

    /// <summary>A held TCP connection or UDP flow was handed to a ready endpoint after <paramref name="heldFor"/>.</summary>
    void ConnectionRelayed(string service, HeldPort port, TimeSpan heldFor);

    /// <summary>A TCP connection was reset (RST) instead of relayed or while relayed.</summary>
    void ConnectionReset(string service, HeldPort port, ResetReason reason);

    /// <summary>A UDP datagram was kept for its flow until an endpoint is ready.</summary>
    void DatagramKept(string service, HeldPort port);

    /// <summary>A UDP datagram was dropped: not kept, or kept and then discarded.</summary>
    void DatagramDropped(string service, HeldPort port, DropReason reason);

    /// <summary>Bytes relayed in one direction (TCP payload or UDP datagrams).</summary>
    void BytesRelayed(string service, HeldPort port, RelayDirection direction, long bytes);
}
