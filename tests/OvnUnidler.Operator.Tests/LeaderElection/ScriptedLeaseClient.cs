using System.Collections.Concurrent;
using OvnUnidler.Operator.LeaderElection;

namespace OvnUnidler.Operator.Tests.LeaderElection;

/// <summary>A Lease whose attempts answer from a script (the last answer repeats), recording what happened in order.</summary>
public sealed class ScriptedLeaseClient(params LeaseAttempt[] answers) : ILeaseClient
{
    private int attempts;

    public string Identity => "me";

    public string Lease => "default/test";

    public int Attempts => Volatile.Read(ref attempts);

    public ConcurrentQueue<string> Events { get; } = new();

    public Task<LeaseAttempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var index = Interlocked.Increment(ref attempts) - 1;
        return Task.FromResult(answers[Math.Min(index, answers.Length - 1)]);
    }

    public Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        Events.Enqueue("released");
        return Task.FromResult(true);
    }
}
