using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.LeaderElection;

namespace OvnUnidler.Operator.Tests.LeaderElection;

public sealed class LeaseLeadershipTests
{
    private static readonly LeaderElectionOptions Timings = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(15),
        RenewDeadline = TimeSpan.FromSeconds(10),
        RetryPeriod = TimeSpan.FromSeconds(2),
    };

    private static readonly LeaseAttempt Unreachable = LeaseAttempt.Failed(new HttpRequestException("Connection refused"));

    [Fact]
    public async Task Stops_acting_exactly_when_the_renew_deadline_passes_without_a_successful_renewal()
    {
        var time = new FakeTimeProvider();
        var lease = new ScriptedLeaseClient(LeaseAttempt.Held("me"), Unreachable);
        var leading = new List<bool>();
        var leadership = new LeaseLeadership(lease, Timings, time, leading.Add, NullLogger<LeaseLeadership>.Instance);
        var acting = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = leadership.RunWhileLeadingAsync(async token =>
        {
            acting.TrySetResult(token);
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
        }, TestContext.Current.CancellationToken);
        var token = await acting.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Failed renewals at every retry period until just before the deadline: still acting.
        var elapsed = TimeSpan.Zero;
        for (var period = 1; elapsed + Timings.RetryPeriod < Timings.RenewDeadline; period++)
        {
            time.Advance(Timings.RetryPeriod);
            elapsed += Timings.RetryPeriod;
            await Eventually.TrueAsync(() => lease.Attempts > period, "a renewal attempt each retry period");
            Assert.False(token.IsCancellationRequested);
        }

        time.Advance(Timings.RenewDeadline - elapsed - TimeSpan.FromMilliseconds(1));
        Assert.False(token.IsCancellationRequested);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(token.IsCancellationRequested);
        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal([true, false], leading);
        Assert.Empty(lease.Events);
    }

    [Fact]
    public async Task Gives_up_at_once_when_another_holder_has_the_lease()
    {
        var time = new FakeTimeProvider();
        var lease = new ScriptedLeaseClient(LeaseAttempt.Held("me"), LeaseAttempt.HeldBy("other"));
        var leadership = new LeaseLeadership(lease, Timings, time, null, NullLogger<LeaseLeadership>.Instance);
        var acting = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = leadership.RunWhileLeadingAsync(async token =>
        {
            acting.TrySetResult(token);
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
        }, TestContext.Current.CancellationToken);
        var token = await acting.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        time.Advance(Timings.RetryPeriod);

        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.True(token.IsCancellationRequested);
        Assert.Equal(2, lease.Attempts);
        Assert.Empty(lease.Events);
    }

    [Fact]
    public async Task A_graceful_stop_stops_the_work_before_releasing_the_lease()
    {
        var time = new FakeTimeProvider();
        var lease = new ScriptedLeaseClient(LeaseAttempt.Held("me"));
        var leadership = new LeaseLeadership(lease, Timings, time, null, NullLogger<LeaseLeadership>.Instance);
        var acting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = leadership.RunWhileLeadingAsync(async token =>
        {
            acting.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
            finally
            {
                // A stage finishing what it had under way when told to stop.
                await Task.Yield();
                lease.Events.Enqueue("work stopped");
            }
        }, stop.Token);
        await acting.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await stop.CancelAsync();

        Assert.False(await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(["work stopped", "released"], lease.Events);
    }
}
