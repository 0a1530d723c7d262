namespace OvnUnidler.Operator.Waking;

/// <param name="Refusal">Targets the API server refused for good, with its reasons (kept in the idle record).</param>
/// <param name="AnnotationsKept">The idle annotations are still on the Service: <see cref="IServiceWaker.FinishAsync"/> removes them.</param>
/// <param name="ServiceResourceVersion">The Service's resourceVersion after the waker's last write or read.</param>
/// <param name="State">The waker's own record of the attempt, handed back to <see cref="IServiceWaker.FinishAsync"/>.</param>
public sealed record WakeAttempt(
    WakeOutcome Outcome,
    string? Reason = null,
    TimeSpan? RetryAfter = null,
    int ScaledTargets = 0,
    string? Refusal = null,
    bool AnnotationsKept = false,
    string? ServiceResourceVersion = null,
    object? State = null)
{
    public static WakeAttempt Woken(int scaledTargets) => new(WakeOutcome.Woken, ScaledTargets: scaledTargets);

    public static WakeAttempt AlreadyAwake() => new(WakeOutcome.AlreadyAwake);

    public static WakeAttempt NotIdled() => new(WakeOutcome.NotIdled, "the Service has no idle annotations");

    public static WakeAttempt Retry(string reason, TimeSpan? after = null) => new(WakeOutcome.Retry, reason, after);

    public static WakeAttempt Terminal(string reason) => new(WakeOutcome.Terminal, reason);
}
