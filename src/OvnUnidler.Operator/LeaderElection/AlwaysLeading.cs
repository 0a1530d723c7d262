namespace OvnUnidler.Operator.LeaderElection;

/// <summary>Per-zone mode: every instance serves its own node's databases, so every instance acts.</summary>
public sealed class AlwaysLeading(Action<bool>? leading = null) : ILeadership
{
    public async Task<bool> RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        leading?.Invoke(true);
        await work(cancellationToken).ConfigureAwait(false);
        return false;
    }
}
