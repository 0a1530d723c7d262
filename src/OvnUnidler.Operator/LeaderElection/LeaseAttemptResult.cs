namespace OvnUnidler.Operator.LeaderElection;

public enum LeaseAttemptResult
{
    /// <summary>This candidate holds the Lease, renewed at the attempt.</summary>
    Held,

    /// <summary>Another candidate holds the Lease and it has not expired.</summary>
    HeldByOther,

    /// <summary>The API could not be asked or did not answer; nothing is known.</summary>
    Failed,
}
