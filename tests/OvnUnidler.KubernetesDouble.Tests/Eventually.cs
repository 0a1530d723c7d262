namespace OvnUnidler.KubernetesDouble.Tests;

// Waits for a condition observed through the API, with a deadline; never a fixed sleep.
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var last = default(T);
        try
        {
            while (true)
            {
                last = await probe().WaitAsync(deadline.Token);
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(20, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Condition not reached within {timeout}; last observed: {last}");
        }
    }
}
