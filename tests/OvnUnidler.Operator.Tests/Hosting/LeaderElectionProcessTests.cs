using OvnUnidler.KubernetesDouble.Faults;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Hosting;

/// <summary>
/// Two operator processes in central mode against the API double. Outages are set up by
/// condition (the leader known, its renewals seen failing); the assertions are about the Lease's
/// history and the order of events, with durations chosen so a loaded machine has seconds of slack.
/// </summary>
public sealed class LeaderElectionProcessTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    public enum OutageKind
    {
        /// <summary>Only the leader is cut off: its connections are reset, the standby still sees the Lease.</summary>
        LeaderPartitioned,

        /// <summary>The API server answers every request with 503.</summary>
        ServerUnavailable,

        /// <summary>Requests for Leases hang: each renewal attempt times out.</summary>
        LeaseRequestsHang,
    }

    [Theory]
    [InlineData(OutageKind.LeaderPartitioned)]
    [InlineData(OutageKind.ServerUnavailable)]
    [InlineData(OutageKind.LeaseRequestsHang)]
    public async Task A_leader_that_cannot_renew_for_less_than_the_renew_deadline_keeps_the_lease_and_keeps_acting(OutageKind kind)
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        // RenewDeadline 7 s against a 3 s outage: 4 s for renewals to resume on a loaded machine.
        await using var replicas = await CentralReplicas.StartAsync(environment,
            leaseDuration: TimeSpan.FromSeconds(10), renewDeadline: TimeSpan.FromSeconds(7), retryPeriod: TimeSpan.FromMilliseconds(500));
        var (leader, standby) = await replicas.LeaderAsync();
        var transitions = (await replicas.LeaseAsync()).Spec.LeaseTransitions;

        var lastRenewal = replicas.LeaseWrites().Last(write => write.Holder == leader.Identity).Request.Time;
        var failedAttempts = StartOutage(environment, kind, leader);
        await Eventually.TrueAsync(() => failedAttempts() >= 3, "renewals to fail during the outage");
        // The outage counts from the leader's last renewal, not from when the failures were seen: on a
        // loaded machine seeing them may take seconds, which must not eat the deadline's slack.
        var remaining = lastRenewal + Outage - DateTimeOffset.UtcNow;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, TestContext.Current.CancellationToken);
        }

        var endedAt = DateTimeOffset.UtcNow;
        EndOutage(environment, leader);

        bool RenewedAfterOutage() => replicas.LeaseWrites().Any(write => write.Request.Time > endedAt && write.Holder == leader.Identity);
        var renewalBound = TimeSpan.FromSeconds(20);
        await Eventually.TrueAsync(() => RenewedAfterOutage() || leader.Process.HasExited || DateTimeOffset.UtcNow > endedAt + renewalBound,
            "the leader to renew after the outage, exit, or pass the bound", renewalBound * 2);
        Assert.True(RenewedAfterOutage(),
            $"the leader made no Lease write within {renewalBound} after the outage (exited: {leader.Process.HasExited}); its output:\n{leader.Process.RecentOutput}");
        await environment.Southbound.InsertEventAsync("10.96.0.10:80");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row handled");

        Assert.All(replicas.LeaseWrites(), write => Assert.Equal(leader.Identity, write.Holder));
        Assert.Equal(transitions, (await replicas.LeaseAsync()).Spec.LeaseTransitions);
        Assert.False(leader.Process.HasExited, leader.Process.RecentOutput);
        Assert.False(standby.Process.HasExited, standby.Process.RecentOutput);
        Assert.Contains("[6008]", leader.Process.RecentOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("[6001]", leader.Process.RecentOutput, StringComparison.Ordinal);
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
    }

    [Fact]
    public async Task A_leader_cut_off_past_the_renew_deadline_exits_non_zero_before_the_standby_takes_the_lease()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var leaseDuration = TimeSpan.FromSeconds(8);
        await using var replicas = await CentralReplicas.StartAsync(environment,
            leaseDuration, renewDeadline: TimeSpan.FromSeconds(2), retryPeriod: TimeSpan.FromMilliseconds(500));
        var (leader, standby) = await replicas.LeaderAsync();
        bool? leaderGoneWhenTaken = null;
        var watchingTakeover = environment.Api.Requests.WaitUntilAsync(_ =>
        {
            if (replicas.LeaseWrites().Any(write => write.Holder == standby.Identity))
            {
                leaderGoneWhenTaken ??= leader.Process.HasExited;
                return true;
            }

            return false;
        }, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        leader.Partition.Cut();

        var exitCode = await leader.Process.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await watchingTakeover;
        var lastRenewal = replicas.LeaseWrites().Last(write => write.Holder == leader.Identity).Request.Time;

        Assert.NotEqual(0, exitCode);
        Assert.True(leaderGoneWhenTaken, "the standby took the Lease while the old leader's process was still running");
        Assert.True(leader.Process.ExitTime < lastRenewal + leaseDuration,
            $"the leader exited {leader.Process.ExitTime - lastRenewal} after its last renewal, not within the lease duration {leaseDuration}");
        // Output events are dispatched on their own threads and may trail the exit.
        await Eventually.TrueAsync(() => leader.Process.RecentOutput.Contains("[6001]", StringComparison.Ordinal), "the leader's lost-Lease line in its output");

        await environment.Southbound.InsertEventAsync("10.96.0.10:80");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row handled by the new leader");
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
    }

    [Fact]
    public async Task A_leader_stopped_gracefully_releases_the_lease_and_the_standby_takes_it_at_its_next_attempt()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        // A long lease: a standby that waited for it to expire instead would be 15 s late.
        var leaseDuration = TimeSpan.FromSeconds(15);
        await using var replicas = await CentralReplicas.StartAsync(environment,
            leaseDuration, renewDeadline: TimeSpan.FromSeconds(5), retryPeriod: TimeSpan.FromMilliseconds(500));
        var (leader, standby) = await replicas.LeaderAsync();

        leader.Process.Terminate();

        Assert.Equal(0, await leader.Process.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        await Eventually.TrueAsync(async () => await replicas.HolderAsync() == standby.Identity, "the standby to take the Lease", TimeSpan.FromSeconds(30));
        var writes = replicas.LeaseWrites();
        var release = writes.Single(write => write.Holder is null);
        var takeover = writes.First(write => write.Holder == standby.Identity);
        Assert.True(release.Request.Time <= takeover.Request.Time, "the standby took the Lease before it was released");
        Assert.True(release.Request.Time <= leader.Process.ExitTime, "the Lease was released after the process exited");
        Assert.True(takeover.Request.Time - release.Request.Time < leaseDuration,
            $"the standby took the Lease {takeover.Request.Time - release.Request.Time} after its release, as if it had waited for it to expire");
        Assert.Contains("[6009]", leader.Process.RecentOutput, StringComparison.Ordinal);

        await environment.Southbound.InsertEventAsync("10.96.0.10:80");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row handled by the new leader");
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
    }

    /// <summary>Starts the outage; returns a count of the attempts it has failed so far.</summary>
    private static Func<int> StartOutage(OperatorEnvironment environment, OutageKind kind, CentralReplicas.Replica leader)
    {
        switch (kind)
        {
            case OutageKind.LeaderPartitioned:
                leader.Partition.Cut();
                return () => leader.Partition.Refused;
            case OutageKind.ServerUnavailable:
                var unavailable = environment.Api.Faults.Add(new FaultRule { StatusCode = 503 });
                return () => unavailable.Hits;
            default:
                var hang = environment.Api.Faults.Add(new FaultRule { Resource = "leases", Hang = true });
                return () => hang.Hits;
        }
    }

    private static void EndOutage(OperatorEnvironment environment, CentralReplicas.Replica leader)
    {
        leader.Partition.Restore();
        environment.Api.Faults.Clear();
    }
}
