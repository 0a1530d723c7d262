using OvnUnidler.Operator.Controllers;
using OvnUnidler.Testing;

namespace OvnUnidler.Operator.Tests.Controllers;

public sealed class ReconcileQueueTests
{
    [Fact]
    public void Collapses_changes_that_arrive_while_a_key_is_reconciled_into_one_reconcile_of_the_latest()
    {
        var queue = new ReconcileQueue<string, int>();

        Assert.True(queue.Add("ns/a", 1));
        Assert.True(queue.TryTake("ns/a", out var first));
        Assert.False(queue.Add("ns/a", 2));
        Assert.False(queue.Add("ns/a", 3));
        Assert.False(queue.Add("ns/a", 4));

        Assert.Equal(1, first);
        Assert.True(queue.TryTake("ns/a", out var next));
        Assert.Equal(4, next);
        Assert.False(queue.TryTake("ns/a", out _));
    }

    [Fact]
    public void Collapses_changes_to_a_key_still_waiting_and_keeps_other_keys_apart()
    {
        var queue = new ReconcileQueue<string, string>();

        Assert.True(queue.Add("ns/a", "modified"));
        Assert.False(queue.Add("ns/a", "deleted"));
        Assert.True(queue.Add("ns/b", "added"));

        Assert.Equal(2, queue.Count);
        Assert.True(queue.TryTake("ns/a", out var a));
        Assert.Equal("deleted", a);
        Assert.True(queue.TryTake("ns/b", out var b));
        Assert.Equal("added", b);
    }

    [Fact]
    public void Starts_a_new_worker_for_a_key_once_its_last_worker_found_nothing_waiting()
    {
        var queue = new ReconcileQueue<string, int>();
        Assert.True(queue.Add("ns/a", 1));
        Assert.True(queue.TryTake("ns/a", out _));
        Assert.False(queue.TryTake("ns/a", out _));

        Assert.True(queue.Add("ns/a", 2));
    }

    [Fact]
    public async Task Reconciles_each_key_one_at_a_time_and_always_reaches_its_latest_change_under_concurrent_adds()
    {
        const int Keys = 8;
        const int ChangesPerKey = 2_000;
        var queue = new ReconcileQueue<int, int>();
        var inFlight = new int[Keys];
        var overlaps = 0;
        var last = new int[Keys];
        var reconciles = 0;
        var workers = new List<Task>();
        var workersLock = new Lock();

        async Task DrainAsync(int key)
        {
            while (queue.TryTake(key, out var change))
            {
                if (Interlocked.Increment(ref inFlight[key]) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Volatile.Write(ref last[key], change);
                Interlocked.Increment(ref reconciles);
                Interlocked.Decrement(ref inFlight[key]);
            }
        }

        var producers = Enumerable.Range(0, Keys).Select(key => Task.Run(() =>
        {
            for (var change = 1; change <= ChangesPerKey; change++)
            {
                if (queue.Add(key, change))
                {
                    lock (workersLock)
                    {
                        workers.Add(DrainAsync(key));
                    }
                }
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(producers).Within(Deadline.Long);
        Task[] started;
        lock (workersLock)
        {
            started = [.. workers];
        }

        await Task.WhenAll(started).Within(Deadline.Long);

        Assert.Equal(0, overlaps);
        Assert.All(last, value => Assert.Equal(ChangesPerKey, value));
        Assert.Equal(0, queue.Count);
        Assert.True(reconciles < Keys * ChangesPerKey, $"{reconciles} reconciles for {Keys * ChangesPerKey} changes: nothing collapsed");
    }
}
