using OvnUnidler.Idling.Annotations;

namespace OvnUnidler.Idling.Waking;

// What a wake did to one target. Replicas: what it was scaled to (ScaledUp) or found running
// (AlreadyRunning). RetryAfter: the API server's hint when Failed.
public sealed record TargetWake(IdleTarget Target, TargetWakeOutcome Outcome, int? Replicas = null, string? Detail = null)
{
    public TimeSpan? RetryAfter { get; init; }

    public bool IsDone => Outcome is TargetWakeOutcome.ScaledUp or TargetWakeOutcome.AlreadyRunning;

    public bool IsTerminal => Outcome is TargetWakeOutcome.NotFound or TargetWakeOutcome.Rejected;
}
