namespace OvnUnidler.Idling.Idle;

public sealed record IdleResult
{
    public required IdleStatus Status { get; init; }

    public string? Reason { get; init; }

    // When to try again; set for RetryAfter.
    public TimeSpan? Delay { get; init; }

    public IReadOnlyList<IdleTargetResult> Targets { get; init; } = [];

    // The Service annotation changes written (or, planned, to be written); null removes a key.
    public IReadOnlyDictionary<string, string?> ServiceAnnotations { get; init; } = new Dictionary<string, string?>();

    public DateTimeOffset? IdledAt { get; init; }

    public override string ToString() => Reason is null ? Status.ToString() : $"{Status}: {Reason}";
}
