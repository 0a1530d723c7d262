namespace OvnUnidler.Operator.LeaderElection;

/// <summary>One Lease, as seen by one candidate: an attempt to take or keep it, and giving it up.</summary>
public interface ILeaseClient
{
    string Identity { get; }

    /// <summary>namespace/name, for logs.</summary>
    string Lease { get; }

    /// <summary>
    /// Takes the Lease if it is free, expired or already this candidate's, renewing it. Never
    /// throws: a failure of any kind (connection, timeout, 5xx, a conflicting write) is a
    /// <see cref="LeaseAttemptResult.Failed"/> attempt.
    /// </summary>
    Task<LeaseAttempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken);

    /// <summary>Clears the holder if this candidate still holds the Lease; true when it did.</summary>
    Task<bool> ReleaseAsync(CancellationToken cancellationToken);
}
