using System.Collections.Concurrent;
using System.Net;
using OvnUnidler.Holding;

namespace OvnUnidler.Operator.Tests.Holding;

public sealed class RecordingHeldService(HoldRequest request, IReadOnlyDictionary<HeldPort, IPEndPoint> listeners) : IHeldService
{
    private readonly TaskCompletionSource<HoldEnd> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int feeds;

    public HoldRequest Request { get; } = request;

    public IReadOnlyDictionary<HeldPort, IPEndPoint> Listeners { get; } = listeners;

    public ConcurrentDictionary<HeldPort, IReadOnlyList<IPEndPoint>> ReadyEndpoints { get; } = new();

    public Task<HoldEnd> Ended => ended.Task;

    /// <summary>A recording hold takes nothing in: it counts nothing and settles when it ends.</summary>
    public HoldCounts Counts => HoldCounts.None;

    public Task<HoldCounts> Settled => ended.Task.ContinueWith(_ => HoldCounts.None, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>How many times ready endpoints were handed to it: the hold tracker does so on each of its passes.</summary>
    public int Feeds => Volatile.Read(ref feeds);

    public void SetReadyEndpoints(HeldPort port, IReadOnlyList<IPEndPoint> endpoints)
    {
        ReadyEndpoints[port] = endpoints;
        Interlocked.Increment(ref feeds);
    }

    public Task EndAsync(HoldEnd end)
    {
        ended.TrySetResult(end);
        return Task.CompletedTask;
    }
}
