using System.Threading.Channels;
using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Waking;

/// <summary>
/// Coalesces events into at most one wake per Service at a time. A Service enters the ready
/// queue once; rows arriving while its wake runs join it and are handed back by
/// <see cref="Complete"/>, so nothing that arrived before completion is left behind.
/// </summary>
public sealed class WakeCoordinator(TimeProvider timeProvider)
{
    private readonly Lock gate = new();
    private readonly Dictionary<ServiceKey, PendingWake> active = [];
    private readonly Channel<PendingWake> ready = Channel.CreateUnbounded<PendingWake>(
        new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });

    public ChannelReader<PendingWake> Ready => ready.Reader;

    public int ActiveCount
    {
        get
        {
            lock (gate)
            {
                return active.Count;
            }
        }
    }

    /// <summary>Adds the event to its Service's wake; true when it started a new wake, false when it joined one.</summary>
    public bool Add(ServiceKey service, EmptyBackendsEvent @event)
    {
        lock (gate)
        {
            if (active.TryGetValue(service, out var wake))
            {
                wake.Attach(@event);
                return false;
            }

            wake = new PendingWake(service, @event.Row.SeenAt);
            wake.Attach(@event);
            active[service] = wake;
            ready.Writer.TryWrite(wake);
            return true;
        }
    }

    public bool IsActive(ServiceKey service)
    {
        lock (gate)
        {
            return active.ContainsKey(service);
        }
    }

    /// <summary>Ends the wake and returns every row that joined it, including those that came while it ran.</summary>
    public IReadOnlyList<EmptyBackendsEvent> Complete(PendingWake wake)
    {
        lock (gate)
        {
            if (active.TryGetValue(wake.Service, out var current) && ReferenceEquals(current, wake))
            {
                active.Remove(wake.Service);
            }

            return wake.TakeEvents();
        }
    }

    public IReadOnlyList<EmptyBackendsEvent> Snapshot(PendingWake wake)
    {
        lock (gate)
        {
            return wake.EventsSnapshot;
        }
    }

    /// <summary>Puts the wake back in the ready queue after <paramref name="delay"/>; its rows stay attached.</summary>
    public void RetryLater(PendingWake wake, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            ready.Writer.TryWrite(wake);
            return;
        }

        _ = DelayThenRequeueAsync(wake, delay, cancellationToken);
    }

    private async Task DelayThenRequeueAsync(PendingWake wake, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            ready.Writer.TryWrite(wake);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the rows were never acknowledged, so the next run handles them.
        }
    }
}
