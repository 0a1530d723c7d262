using System.Threading.Channels;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Waking;

/// <summary>
/// Coalesces events into at most one wake per Service at a time. A Service enters the ready
/// queue once; rows arriving while its wake runs join it and are handed back by
/// <see cref="Complete"/>, so nothing that arrived before completion is left behind. A row that
/// existed before a wake of its Service finished, but was read only after (the rest of a long
/// monitor reply), belongs to that wake too: <see cref="TryCover"/> says so instead of starting
/// another wake that would re-read a Service just woken, or re-wake one idled again since.
/// </summary>
public sealed class WakeCoordinator(TimeProvider timeProvider)
{
    /// <summary>How long a finished wake covers rows that existed before it finished but are read late.</summary>
    public static readonly TimeSpan CoverWindow = TimeSpan.FromMinutes(10);

    private const int SweepEvery = 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<ServiceKey, PendingWake> active = [];
    private readonly Dictionary<ServiceKey, FinishedWake> finished = [];
    private int completedSinceSweep;
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

    /// <summary>
    /// True when no wake of the Service runs and its last wake, which ended with
    /// <paramref name="outcome"/>, finished after the row existed: the row was handled by it.
    /// </summary>
    public bool TryCover(ServiceKey service, EmptyBackendsEvent @event, out EventOutcome outcome)
    {
        lock (gate)
        {
            if (!active.ContainsKey(service) && finished.TryGetValue(service, out var last)
                && ((last.RefusedUntil is { } until && timeProvider.GetTimestamp() < until)
                    || (@event.Row.ExistedBy <= last.At && timeProvider.GetElapsedTime(last.At) < CoverWindow)))
            {
                outcome = last.Outcome;
                return true;
            }

            outcome = default;
            return false;
        }
    }

    public bool IsActive(ServiceKey service)
    {
        lock (gate)
        {
            return active.ContainsKey(service);
        }
    }

    /// <summary>
    /// Ends the wake and returns every row that joined it, including those that came while it ran.
    /// A wake that brought the Service up (or found it up) covers the rows that existed before now;
    /// one that failed for good covers none, so that a later row tries again.
    /// </summary>
    /// <param name="refusedFor">
    /// A target was refused for good: every row of the Service in this period is covered by this
    /// wake, so that new traffic retries the refused target at most once per period.
    /// </param>
    public IReadOnlyList<EmptyBackendsEvent> Complete(PendingWake wake, EventOutcome outcome, TimeSpan? refusedFor = null)
    {
        lock (gate)
        {
            if (active.TryGetValue(wake.Service, out var current) && ReferenceEquals(current, wake))
            {
                active.Remove(wake.Service);
            }

            var now = timeProvider.GetTimestamp();
            long? refusedUntil = refusedFor is { } period ? now + (long)(period.TotalSeconds * timeProvider.TimestampFrequency) : null;
            if (outcome is EventOutcome.Woken or EventOutcome.AlreadyAwake or EventOutcome.NotIdled || refusedUntil is not null)
            {
                finished[wake.Service] = new FinishedWake(now, outcome, refusedUntil);
            }
            else
            {
                finished.Remove(wake.Service);
            }

            if (++completedSinceSweep >= SweepEvery)
            {
                completedSinceSweep = 0;
                foreach (var (service, last) in finished)
                {
                    if (timeProvider.GetElapsedTime(last.At) >= CoverWindow && (last.RefusedUntil is not { } until || timeProvider.GetTimestamp() >= until))
                    {
                        finished.Remove(service);
                    }
                }
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
