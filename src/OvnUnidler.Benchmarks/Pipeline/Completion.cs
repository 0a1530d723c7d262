using System.Diagnostics;

namespace OvnUnidler.Benchmarks.Pipeline;

public static class Completion
{
    /// <summary>Polls a cheap in-memory condition every millisecond; returns the time it took.</summary>
    public static async Task<TimeSpan> WaitAsync(Func<bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
        }

        return watch.Elapsed;
    }
}
