namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>One floor measurement and one operator run of the backlog benchmark, on the same fresh stack.</summary>
internal sealed record BacklogRound(
    TimeSpan Select, TimeSpan Delete, TimeSpan Operator, TimeSpan FirstScale, TimeSpan AllScaled, TimeSpan FirstDelete,
    int Wakes, int RowsLeft, long PeakResident, TimeSpan OperatorCpu);
