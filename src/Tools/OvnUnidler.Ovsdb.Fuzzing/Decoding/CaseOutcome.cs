namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <param name="Kind">For rejected cases "stage: exception type" (e.g. "update2: OvsdbProtocolException"), else the class (for hangs, which limit).</param>
/// <param name="Detail">What the engine saw of a hang or stall: CPU time, progress, wall-clock time.</param>
public sealed record CaseOutcome(OutcomeClass Class, string Kind, Exception? Exception = null, string? Detail = null)
{
    public static CaseOutcome Accepted { get; } = new(OutcomeClass.Accepted, "accepted");

    public static CaseOutcome Rejected(string stage, Exception exception) => new(OutcomeClass.Rejected, $"{stage}: {exception.GetType().Name}", exception);
}
