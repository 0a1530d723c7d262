using System.Net;

namespace OvnUnidler.Lab.Cluster;

/// <summary>Waits for an operator process' /readyz, as a kubelet's readiness probe does.</summary>
internal static class OperatorReadiness
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Returns once <paramref name="readyz"/> answers 200. <paramref name="exited"/> says why the
    /// process can no longer become ready (it exited), or null while it runs; then this throws at once.
    /// Throws <see cref="TimeoutException"/> when <paramref name="timeout"/> passes first.
    /// </summary>
    public static async Task WaitAsync(Uri readyz, string who, Func<string?> exited, Func<string> output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var ticks = new PeriodicTimer(Interval);
        try
        {
            do
            {
                if (exited() is { } why)
                {
                    throw new InvalidOperationException($"{who} {why}: {output()}");
                }

                try
                {
                    using var response = await http.GetAsync(readyz, deadline.Token).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // This probe outlasted the client's timeout; the next one may not.
                }
            }
            while (await ticks.WaitForNextTickAsync(deadline.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{who} was not ready within {timeout}: {output()}");
        }
    }
}
