using OvnUnidler.Operator.Acknowledgement;

namespace OvnUnidler.Operator.Waking;

/// <summary>
/// The last wake of a Service that ended well, or was refused: when it finished (a
/// <see cref="TimeProvider.GetTimestamp"/> value), how, and until when a refusal covers every new row.
/// </summary>
internal readonly record struct FinishedWake(long At, EventOutcome Outcome, long? RefusedUntil = null);
