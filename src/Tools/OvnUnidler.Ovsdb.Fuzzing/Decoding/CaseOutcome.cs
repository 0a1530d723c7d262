namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <param name="Kind">For rejected cases "stage: exception type" (e.g. "update2: OvsdbProtocolException"), else the class.</param>
public sealed record CaseOutcome(OutcomeClass Class, string Kind, Exception? Exception = null)
{
    public static CaseOutcome Accepted { get; } = new(OutcomeClass.Accepted, "accepted");

    public static CaseOutcome Rejected(string stage, Exception exception) => new(OutcomeClass.Rejected, $"{stage}: {exception.GetType().Name}", exception);
}
