using OvnUnidler.Holding;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Holding;

/// <summary>One hold of a Service, once it ended and settled: when it started, how long it lasted, how it ended and what it counted.</summary>
public sealed record HoldSummary(ServiceKey Service, DateTimeOffset StartedAt, TimeSpan Duration, HoldEnd End, HoldCounts Counts);
