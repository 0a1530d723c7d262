namespace OvnUnidler.Operator.Waking;

public sealed record WakeAttempt(WakeOutcome Outcome, string? Reason = null, TimeSpan? RetryAfter = null, int ScaledTargets = 0)
{
    public static WakeAttempt Woken(int scaledTargets) => new(WakeOutcome.Woken, ScaledTargets: scaledTargets);

    public static WakeAttempt AlreadyAwake() => new(WakeOutcome.AlreadyAwake);

    public static WakeAttempt NotIdled() => new(WakeOutcome.NotIdled, "the Service has no idle annotations");

    public static WakeAttempt Retry(string reason, TimeSpan? after = null) => new(WakeOutcome.Retry, reason, after);

    public static WakeAttempt Terminal(string reason) => new(WakeOutcome.Terminal, reason);
}
