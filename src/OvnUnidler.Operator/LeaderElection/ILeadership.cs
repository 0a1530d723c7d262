namespace OvnUnidler.Operator.LeaderElection;

public interface ILeadership
{
    /// <summary>
    /// Runs <paramref name="work"/> once this instance may act, with a token that is cancelled when it
    /// no longer may. Returns true when leadership was lost (not by shutdown).
    /// </summary>
    Task<bool> RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken);
}
