using System.Net;

namespace OvnUnidler.Holding.Listening;

/// <summary>The listener of one held Service port and what it holds and relays.</summary>
internal abstract class PortHold(HoldContext context, HeldPort port)
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IPEndPoint[] endpoints = [];

    public HeldPort Port => port;

    /// <summary>"name/TCP" for logs.</summary>
    public string Label { get; } = $"{(port.Name.Length == 0 ? "(unnamed)" : port.Name)}/{port.Protocol.ToString().ToUpperInvariant()}";

    public abstract IPEndPoint Listener { get; }

    /// <summary>Completes when the listener is closed and every connection or flow it took has ended.</summary>
    public Task Completion => completion.Task;

    /// <summary>Connections or flows still waiting for an endpoint.</summary>
    public abstract int Waiting { get; }

    protected HoldContext Context => context;

    protected IPEndPoint[] Endpoints => Volatile.Read(ref endpoints);

    public bool HasEndpoints => Endpoints.Length > 0;

    public abstract void Start();

    public void SetEndpoints(IReadOnlyList<IPEndPoint> ready)
    {
        Volatile.Write(ref endpoints, [.. ready]);
        OnEndpointsChanged();
    }

    /// <summary>No new connection or flow is taken from now on; what is under way goes on.</summary>
    public abstract void StopAccepting();

    /// <summary>Gives up what still waits for an endpoint: TCP connections are reset, kept datagrams dropped.</summary>
    public abstract void FailWaiting(HoldFailure failure);

    protected abstract void OnEndpointsChanged();

    protected void Complete() => completion.TrySetResult();
}
