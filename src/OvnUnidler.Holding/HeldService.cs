using System.Net;
using Microsoft.Extensions.Logging;
using OvnUnidler.Holding.Listening;
using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Holding;

/// <summary>
/// A Service held by <see cref="ConnectionHolder"/>. Ending it (or its deadline) closes the TCP
/// listeners at once; a UDP listener stops taking new clients at once but stays open while flows
/// it already relays are active (their replies leave from it) and closes when the last one expires.
/// </summary>
public sealed class HeldService : IHeldService
{
    private readonly IReadOnlyDictionary<HeldPort, PortHold> ports;
    private readonly HoldContext context;
    private readonly Action<HeldService> ended;
    private readonly TaskCompletionSource<HoldEnd> end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private readonly ITimer deadline;

    internal HeldService(HoldRequest request, IReadOnlyDictionary<HeldPort, PortHold> ports, IPAddress advertised, HoldContext context, Action<HeldService> ended, Action<HeldService> released)
    {
        Request = request;
        this.ports = ports;
        this.context = context;
        this.ended = ended;
        Listeners = ports.ToDictionary(pair => pair.Key, pair => new IPEndPoint(advertised, pair.Value.Listener.Port));
        // The holder takes the ports back before Completion is seen complete, so "its ports are free again" holds for whoever awaits it.
        Completion = Task.WhenAll(ports.Values.Select(port => port.Completion))
            .ContinueWith(_ => released(this), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var port in ports.Values)
        {
            port.Start();
        }

        var due = request.Deadline - context.Time.GetUtcNow();
        deadline = context.Time.CreateTimer(_ => OnDeadline(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        _ = Completion.ContinueWith(_ => deadline.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public HoldRequest Request { get; }

    public IReadOnlyDictionary<HeldPort, IPEndPoint> Listeners { get; }

    public Task<HoldEnd> Ended => end.Task;

    public HoldCounts Counts => context.Counter.Snapshot();

    public Task<HoldCounts> Settled => context.Counter.Settled;

    /// <summary>Completes when every listener is closed and every held or relayed connection and flow has ended (its ports are free again).</summary>
    public Task Completion { get; }

    /// <summary>TCP connections and UDP flows waiting for an endpoint now.</summary>
    public int Waiting => ports.Values.Sum(port => port.Waiting);

    /// <summary>TCP connections and UDP flows through the holder now, waiting or relayed.</summary>
    public int Connections => context.Connections;

    /// <summary>The port numbers this hold's listeners took, from the range or preferred.</summary>
    internal IEnumerable<(HeldProtocol Protocol, int Port)> Ports => ports.Values.Select(port => (port.Port.Protocol, port.Listener.Port));

    public void SetReadyEndpoints(HeldPort port, IReadOnlyList<IPEndPoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!ports.TryGetValue(port, out var hold))
        {
            throw new ArgumentException($"Service {Request.Service} holds no port {port}", nameof(port));
        }

        hold.SetEndpoints(endpoints);
    }

    public Task EndAsync(HoldEnd end)
    {
        Finish(end, end == HoldEnd.Failed ? HoldFailure.Failed : null, "");
        return Task.CompletedTask;
    }

    /// <summary>The holder stops: everything is reset or dropped and every socket closed.</summary>
    internal void Shutdown()
    {
        Finish(HoldEnd.Failed, HoldFailure.Shutdown, " (the holder stopped)");
        foreach (var port in ports.Values)
        {
            port.FailWaiting(HoldFailure.Shutdown);
        }
    }

    private void OnDeadline()
    {
        try
        {
            // Ready endpoints by the deadline mean the wake worked and only the drain is late.
            var anyEndpoints = ports.Values.Any(port => port.HasEndpoints);
            Finish(anyEndpoints ? HoldEnd.Drained : HoldEnd.Failed, HoldFailure.Deadline, " at its deadline");

            // After a drain, a port that never had an endpoint still holds connections: the deadline gives them up.
            foreach (var port in ports.Values)
            {
                port.FailWaiting(HoldFailure.Deadline);
            }
        }
        catch (Exception e)
        {
            context.Logger.HoldListenerFailed(context.Service, "(deadline)", e);
        }
    }

    private void Finish(HoldEnd how, HoldFailure? failure, string cause)
    {
        lock (gate)
        {
            if (end.Task.IsCompleted)
            {
                return;
            }

            context.Logger.HoldEnded(context.Service, how, cause, Waiting);
            foreach (var port in ports.Values)
            {
                if (how == HoldEnd.Failed && failure is { } given)
                {
                    port.FailWaiting(given);
                }

                port.StopAccepting();
            }

            context.Counter.End();
            end.TrySetResult(how);
        }

        ended(this);
    }
}
