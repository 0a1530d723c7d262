using OvnUnidler.Ovsdb.Fuzzing.Running;

namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>
/// What a piece of work costs in CPU time of the test's own thread: unaffected by the machine's
/// load (a wait for a core costs none) or by tests running beside it (their threads are not
/// counted), so that two costs measured in one test can be compared.
/// </summary>
internal static class CpuCost
{
    private static readonly TimeSpan Enough = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// CPU time of one run of <paramref name="work"/> (which must run on the calling thread), from
    /// runs repeated until 100 ms were spent, as the thread's CPU time advances in scheduler ticks;
    /// the least of three such measurements, as interruptions only ever add.
    /// </summary>
    public static TimeSpan OfOneRun(Action work)
    {
        var cheapest = TimeSpan.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = CpuTime.OfCurrentThread();
            var spent = TimeSpan.Zero;
            var runs = 0;
            while (spent < Enough)
            {
                work();
                runs++;
                spent = CpuTime.OfCurrentThread() - before;
            }

            cheapest = spent / runs < cheapest ? spent / runs : cheapest;
        }

        return cheapest;
    }
}
