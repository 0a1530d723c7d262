namespace OvnUnidler.Operator.LeaderElection;

/// <summary>The outcome of one acquire-or-renew attempt: the holder seen, or why it failed.</summary>
public readonly record struct LeaseAttempt(LeaseAttemptResult Result, string? Holder = null, Exception? Error = null)
{
    public static LeaseAttempt Held(string identity) => new(LeaseAttemptResult.Held, identity);

    public static LeaseAttempt HeldBy(string holder) => new(LeaseAttemptResult.HeldByOther, holder);

    public static LeaseAttempt Failed(Exception error) => new(LeaseAttemptResult.Failed, Error: error);
}
