using OvnUnidler.Operator.Acknowledgement;

namespace OvnUnidler.Operator.Waking;

/// <summary>The last wake of a Service that ended well: when it finished (a <see cref="TimeProvider.GetTimestamp"/> value) and how.</summary>
internal readonly record struct FinishedWake(long At, EventOutcome Outcome);
