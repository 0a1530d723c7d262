using Xunit;

namespace OvnUnidler.Testing;

/// <summary>
/// Waits for a condition on real processes (databases, the API double, daemons) with a deadline,
/// polling instead of sleeping a fixed time. Each probe has the same deadline, so a probe that
/// hangs fails the wait instead of hanging the test.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        var cancellation = TestContext.Current.CancellationToken;
        while (true)
        {
            var last = await probe().WaitAsync(limit, cancellation).ConfigureAwait(false);
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {limit} waiting for {what}; last value: {last}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellation).ConfigureAwait(false);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) =>
        ValueAsync(probe, value => value, what, timeout);

    public static Task TrueAsync(Func<bool> probe, string what, TimeSpan? timeout = null) =>
        ValueAsync(() => Task.FromResult(probe()), value => value, what, timeout);
}
