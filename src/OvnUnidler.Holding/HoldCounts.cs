using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Holding;

/// <summary>
/// What one hold took in and what became of it, as of one moment. Each count is exact; read while
/// the hold is under way, two counts may be one connection apart (each is read on its own).
/// </summary>
public sealed record HoldCounts
{
    public static HoldCounts None { get; } = new();

    /// <summary>TCP connections the hold took in within its bounds (one refused at a bound is only a reset).</summary>
    public int Connections { get; init; }

    /// <summary>UDP flows (clients by source address and port) the hold took in within its bounds.</summary>
    public int Flows { get; init; }

    /// <summary>Of <see cref="Connections"/>, those handed to a ready endpoint (a pod).</summary>
    public int RelayedConnections { get; init; }

    /// <summary>Of <see cref="Flows"/>, those handed to a ready endpoint (a pod).</summary>
    public int RelayedFlows { get; init; }

    /// <summary>UDP datagrams kept for their flow until an endpoint was ready.</summary>
    public int DatagramsKept { get; init; }

    /// <summary>TCP connections reset, by the reason the metrics give: refused at a bound, given up while held, or reset while relayed.</summary>
    public IReadOnlyDictionary<ResetReason, int> Resets { get; init; } = new Dictionary<ResetReason, int>();

    /// <summary>UDP datagrams dropped, by the reason the metrics give: not kept, or kept and then given up.</summary>
    public IReadOnlyDictionary<DropReason, int> Drops { get; init; } = new Dictionary<DropReason, int>();

    /// <summary>TCP connections and UDP flows taken in.</summary>
    public int Held => Connections + Flows;

    /// <summary>TCP connections and UDP flows handed to a pod.</summary>
    public int Relayed => RelayedConnections + RelayedFlows;

    public int Reset => Resets.Values.Sum();

    public int Dropped => Drops.Values.Sum();
}
