using System.Diagnostics;

namespace OvnUnidler.Benchmarks.Pipeline;

public static class Completion
{
    /// <summary>
    /// Polls an in-memory condition every 10 ms and returns the time it took. Conditions read the
    /// API double's journal under its lock, so polling faster would take CPU and the lock from the
    /// requests being measured on a 2-core machine.
    /// </summary>
    public static Task<TimeSpan> WaitAsync(Func<bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken) =>
        WaitAsync(() => Task.FromResult(done()), timeout, what, cancellationToken);

    /// <summary>As <see cref="WaitAsync(Func{bool}, TimeSpan, string, CancellationToken)"/>, for a condition that has to ask another process.</summary>
    public static async Task<TimeSpan> WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!await done().ConfigureAwait(false))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }

        return watch.Elapsed;
    }
}
