namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>Waits for a condition on real processes with a deadline, polling instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var cancellation = TestContext.Current.CancellationToken;
        while (true)
        {
            var last = await probe().WaitAsync(timeout ?? DefaultTimeout, cancellation);
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; last value: {last}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellation);
        }
    }

    public static Task TrueAsync(Func<bool> probe, string what, TimeSpan? timeout = null) =>
        ValueAsync(() => Task.FromResult(probe()), value => value, what, timeout);

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) =>
        ValueAsync(probe, value => value, what, timeout);
}
