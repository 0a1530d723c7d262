using OvnUnidler.Idling.Annotations;

namespace OvnUnidler.Idling.Waking;

// The explicit outcome of one wake call; WakeAsync never throws for API failures.
public sealed record WakeResult
{
    private WakeResult(WakeStatus status, string? reason, TimeSpan? delay, IReadOnlyList<TargetWake> targets)
    {
        Status = status;
        Reason = reason;
        Delay = delay;
        Targets = targets;
    }

    public WakeStatus Status { get; }

    // Why, for RetryAfter and Terminal (and notes on terminal targets otherwise).
    public string? Reason { get; }

    // When to try again; set for RetryAfter.
    public TimeSpan? Delay { get; }

    // Per target, in record order; empty when the call stopped before looking at targets.
    public IReadOnlyList<TargetWake> Targets { get; }

    // The idle record the call acted on; FinishWakeAsync removes exactly it.
    public IdleRecord? ActedOn { get; init; }

    // The Service's resourceVersion after this call's last write (or read), to tell its own
    // changes from someone else's.
    public string? ServiceResourceVersion { get; init; }

    // The Service as this call last read or wrote it: FinishWakeAsync patches it conditionally
    // without reading it again (a 409 makes it read).
    public k8s.Models.V1Service? Service { get; init; }

    public IEnumerable<TargetWake> Refused => Targets.Where(target => target.Outcome == TargetWakeOutcome.Rejected);

    public IEnumerable<TargetWake> ScaledUp => Targets.Where(target => target.Outcome == TargetWakeOutcome.ScaledUp);

    public static WakeResult Woken(IReadOnlyList<TargetWake> targets, string? reason = null) => new(WakeStatus.Woken, reason, null, targets);

    public static WakeResult AlreadyAwake(IReadOnlyList<TargetWake> targets, string? reason = null) => new(WakeStatus.AlreadyAwake, reason, null, targets);

    public static WakeResult NotIdled() => new(WakeStatus.NotIdled, "the Service carries no idle annotations", null, []);

    public static WakeResult RetryAfter(TimeSpan delay, string reason, IReadOnlyList<TargetWake>? targets = null) =>
        new(WakeStatus.RetryAfter, reason, delay, targets ?? []);

    public static WakeResult Terminal(string reason, IReadOnlyList<TargetWake>? targets = null) => new(WakeStatus.Terminal, reason, null, targets ?? []);

    public override string ToString() => Reason is null ? Status.ToString() : $"{Status}: {Reason}";
}
