using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class LeaderElectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_electors_elect_exactly_one_leader_and_the_other_takes_over_when_it_stops()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var leading = 0;
        var mostAtOnce = 0;
        var leaders = new List<string>();
        var gate = new Lock();
        LeaderElector Elector(string identity)
        {
            var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(api.CreateClient(), "kube-system", "ovn-unidler", identity))
            {
                // Generous enough that a loaded 2-core machine does not miss renewals.
                LeaseDuration = TimeSpan.FromSeconds(3),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = TimeSpan.FromMilliseconds(200),
            });
            elector.OnStartedLeading += () =>
            {
                lock (gate)
                {
                    leaders.Add(identity);
                    mostAtOnce = Math.Max(mostAtOnce, ++leading);
                }
            };
            elector.OnStoppedLeading += () =>
            {
                lock (gate)
                {
                    leading--;
                }
            };
            return elector;
        }

        int LeaderCount()
        {
            lock (gate)
            {
                return leaders.Count;
            }
        }

        using var a = Elector("a");
        using var b = Elector("b");
        using var stopA = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stopB = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var runA = a.RunAndTryToHoldLeadershipForeverAsync(stopA.Token);
        var runB = b.RunAndTryToHoldLeadershipForeverAsync(stopB.Token);
        await Eventually.ValueAsync(() => Task.FromResult(a.IsLeader() || b.IsLeader()), leader => leader, "a leader", TimeSpan.FromSeconds(10));
        var (first, firstStop, firstRun, second) = a.IsLeader() ? (a, stopA, runA, b) : (b, stopB, runB, a);

        await firstStop.CancelAsync();
        await StoppedAsync(firstRun);
        // OnStartedLeading runs on its own task, a moment after IsLeader() turns true: wait for both.
        await Eventually.ValueAsync(() => Task.FromResult(second.IsLeader() && LeaderCount() >= 2), leader => leader, "the second elector leading", TimeSpan.FromSeconds(20));
        var lease = await api.CreateClient().CoordinationV1.ReadNamespacedLeaseAsync("ovn-unidler", "kube-system", cancellationToken: Ct);
        await (first == a ? stopB : stopA).CancelAsync();
        await StoppedAsync(first == a ? runB : runA);

        Assert.Equal(1, mostAtOnce);
        Assert.True(leaders.Count >= 2);
        Assert.NotEqual(leaders[0], leaders[1]);
        Assert.Equal(leaders[^1], lease.Spec.HolderIdentity);
        Assert.True(lease.Spec.LeaseTransitions >= 1);
    }

    // An elector's run ends when its token is cancelled, by returning or by throwing that cancellation.
    private static async Task StoppedAsync(Task run)
    {
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }
    }
}
