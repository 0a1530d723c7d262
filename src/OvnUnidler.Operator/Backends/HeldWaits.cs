using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Northbound;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// Every wait of held rows, judged by one loop: after a change of the load balancers, the
/// EndpointSlices or the Services, each waiting condition is checked once, however many changes
/// came meanwhile. A thousand held wakes each woken by every one of thousands of changes (a
/// backlog) spent the CPU on wake-ups; one loop coalesces them.
/// </summary>
public sealed class HeldWaits(LoadBalancerIndex loadBalancers, EndpointSliceCache endpointSlices, ServiceCache services, TimeProvider timeProvider)
{
    private readonly Lock gate = new();
    private readonly List<Held> held = [];
    private bool running;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return held.Count;
            }
        }
    }

    /// <summary>The first non-null result of <paramref name="check"/>, or null at the deadline.</summary>
    public async Task<BackendsResult?> WaitAsync(Func<BackendsResult?> check, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var entry = new Held(check);
        lock (gate)
        {
            // Checked under the lock once, so that no change between this check and the registration is missed.
            if (check() is { } now)
            {
                return now;
            }

            held.Add(entry);
            if (!running)
            {
                running = true;
                _ = RunAsync();
            }
        }

        var remaining = deadline - timeProvider.GetUtcNow();
        try
        {
            return await entry.Result.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (gate)
            {
                held.Remove(entry);
            }
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            var changed = Task.WhenAny(loadBalancers.NextChange, endpointSlices.NextChange, services.NextChange);
            lock (gate)
            {
                for (var i = held.Count - 1; i >= 0; i--)
                {
                    var entry = held[i];
                    try
                    {
                        if (entry.Result.Task.IsCompleted || entry.Check() is not { } result)
                        {
                            continue;
                        }

                        entry.Result.TrySetResult(result);
                    }
                    catch (Exception exception)
                    {
                        entry.Result.TrySetException(exception);
                    }

                    held.RemoveAt(i);
                }

                if (held.Count == 0)
                {
                    running = false;
                    return;
                }
            }

            await changed.ConfigureAwait(false);
        }
    }

    private sealed class Held(Func<BackendsResult?> check)
    {
        public Func<BackendsResult?> Check { get; } = check;

        public TaskCompletionSource<BackendsResult?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
