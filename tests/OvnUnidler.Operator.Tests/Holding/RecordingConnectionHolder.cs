using System.Collections.Concurrent;
using System.Net;
using OvnUnidler.Holding;

namespace OvnUnidler.Operator.Tests.Holding;

/// <summary>
/// Stands in for the holder engine behind our own IConnectionHolder: records each hold, gives
/// each held port its preferred port if the request names one, else a listener port from 40000 on,
/// and records the endpoints handed to it.
/// </summary>
public sealed class RecordingConnectionHolder : IConnectionHolder
{
    private readonly ConcurrentDictionary<string, RecordingHeldService> holds = new();
    private int nextPort = 40000;

    public ConcurrentQueue<HoldRequest> Requests { get; } = new();

    public RecordingHeldService? Of(string service) => holds.GetValueOrDefault(service);

    public IHeldService? Hold(HoldRequest request)
    {
        Requests.Enqueue(request);
        return holds.AddOrUpdate(request.Service,
            _ => new RecordingHeldService(request, Listeners(request)),
            (_, existing) => existing.Ended.IsCompleted ? new RecordingHeldService(request, Listeners(request)) : existing);
    }

    private Dictionary<HeldPort, IPEndPoint> Listeners(HoldRequest request) =>
        request.Ports.ToDictionary(port => port, port => new IPEndPoint(IPAddress.Any, request.PreferredPort(port) ?? Interlocked.Increment(ref nextPort) - 1));
}

public sealed class RecordingHeldService(HoldRequest request, IReadOnlyDictionary<HeldPort, IPEndPoint> listeners) : IHeldService
{
    private readonly TaskCompletionSource<HoldEnd> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HoldRequest Request { get; } = request;

    public IReadOnlyDictionary<HeldPort, IPEndPoint> Listeners { get; } = listeners;

    public ConcurrentDictionary<HeldPort, IReadOnlyList<IPEndPoint>> ReadyEndpoints { get; } = new();

    public Task<HoldEnd> Ended => ended.Task;

    /// <summary>A recording hold takes nothing in: it counts nothing and settles when it ends.</summary>
    public HoldCounts Counts => HoldCounts.None;

    public Task<HoldCounts> Settled => ended.Task.ContinueWith(_ => HoldCounts.None, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public void SetReadyEndpoints(HeldPort port, IReadOnlyList<IPEndPoint> endpoints) => ReadyEndpoints[port] = endpoints;

    public Task EndAsync(HoldEnd end)
    {
        ended.TrySetResult(end);
        return Task.CompletedTask;
    }
}
