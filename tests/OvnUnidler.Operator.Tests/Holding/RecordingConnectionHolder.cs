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
