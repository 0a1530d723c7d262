namespace OvnUnidler.Holding.Observability;

/// <summary>An observer that records nothing, for hosts without metrics.</summary>
public sealed class NullHoldingObserver : IHoldingObserver
{
    public static NullHoldingObserver Instance { get; } = new();

    public void ConnectionHeld(string service, HeldPort port)
    {
    }

    public void ConnectionRelayed(string service, HeldPort port, TimeSpan heldFor)
    {
    }

    public void ConnectionReset(string service, HeldPort port, ResetReason reason)
    {
    }

    public void DatagramKept(string service, HeldPort port)
    {
    }

    public void DatagramDropped(string service, HeldPort port, DropReason reason)
    {
    }

    public void BytesRelayed(string service, HeldPort port, RelayDirection direction, long bytes)
    {
    }
}
