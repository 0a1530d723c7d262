using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Holding.Listening;

/// <summary>
/// Counts what one hold takes in and what becomes of it, from any socket thread (Interlocked), and
/// tells when the hold has settled: it ended and nothing it took in still waits for an endpoint.
/// A connection or flow is unsettled from its admission until it is handed to an endpoint or given up.
/// </summary>
internal sealed class HoldCounter
{
    private readonly int[] resets = new int[Enum.GetValues<ResetReason>().Length];
    private readonly int[] drops = new int[Enum.GetValues<DropReason>().Length];
    private readonly TaskCompletionSource<HoldCounts> settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int connections;
    private int flows;
    private int relayedConnections;
    private int relayedFlows;
    private int kept;
    private int unsettled;
    private int ended;

    public Task<HoldCounts> Settled => settled.Task;

    public void Admitted(HeldProtocol protocol)
    {
        Interlocked.Increment(ref unsettled);
        Interlocked.Increment(ref protocol == HeldProtocol.Tcp ? ref connections : ref flows);
    }

    /// <summary>An admitted connection or flow was handed to an endpoint: it no longer waits.</summary>
    public void Relayed(HeldProtocol protocol)
    {
        Interlocked.Increment(ref protocol == HeldProtocol.Tcp ? ref relayedConnections : ref relayedFlows);
        GaveUp();
    }

    /// <summary>An admitted connection or flow that was never handed on is gone (reset, expired, dropped): it no longer waits.</summary>
    public void GaveUp()
    {
        // Interlocked on both sides (here and in End) orders the two flags: one of them sees the other.
        if (Interlocked.Decrement(ref unsettled) == 0 && Volatile.Read(ref ended) == 1)
        {
            settled.TrySetResult(Snapshot());
        }
    }

    public void Reset(ResetReason reason) => Interlocked.Increment(ref resets[(int)reason]);

    public void Dropped(DropReason reason) => Interlocked.Increment(ref drops[(int)reason]);

    public void Kept() => Interlocked.Increment(ref kept);

    /// <summary>The hold ended: it settles as soon as nothing waits (at once when nothing does).</summary>
    public void End()
    {
        Interlocked.Exchange(ref ended, 1);
        if (Volatile.Read(ref unsettled) == 0)
        {
            settled.TrySetResult(Snapshot());
        }
    }

    public HoldCounts Snapshot() => new()
    {
        Connections = Volatile.Read(ref connections),
        Flows = Volatile.Read(ref flows),
        RelayedConnections = Volatile.Read(ref relayedConnections),
        RelayedFlows = Volatile.Read(ref relayedFlows),
        DatagramsKept = Volatile.Read(ref kept),
        Resets = ByReason<ResetReason>(resets),
        Drops = ByReason<DropReason>(drops),
    };

    private static Dictionary<TReason, int> ByReason<TReason>(int[] counts) where TReason : struct, Enum
    {
        var byReason = new Dictionary<TReason, int>();
        foreach (var reason in Enum.GetValues<TReason>())
        {
            if (Volatile.Read(ref counts[Convert.ToInt32(reason, System.Globalization.CultureInfo.InvariantCulture)]) is var count and > 0)
            {
                byReason[reason] = count;
            }
        }

        return byReason;
    }
}
