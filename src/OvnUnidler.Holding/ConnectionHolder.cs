using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Holding.Listening;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Holding.Tcp;
using OvnUnidler.Holding.Udp;

namespace OvnUnidler.Holding;

/// <summary>
/// The process's connection holder: one listener per held Service port, on its preferred port when
/// the request names one and it can be bound, else on a port of the configured range, for as long as
/// the Service's wake is under way (issue 16).
/// </summary>
public sealed class ConnectionHolder : IConnectionHolder, IAsyncDisposable
{
    private readonly HoldingOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<ConnectionHolder> logger;
    private readonly IHoldingObserver observer;
    private readonly ConnectionBudget total;
    private readonly PortPool pool;

    // Preferred ports outside the range that holds have bound. Tracked here, not left to the
    // system, because a UDP socket may share a port with another that sets SO_REUSEADDR.
    private readonly HashSet<(HeldProtocol Protocol, int Port)> preferredTaken = [];
    private readonly IPAddress listenAddress;
    private readonly IPAddress advertisedAddress;
    private readonly Lock gate = new();
    private readonly Dictionary<string, HeldService> holds = new(StringComparer.Ordinal);
    private readonly List<HeldService> live = [];
    private readonly CancellationTokenSource shutdown = new();
    private bool disposed;

    public ConnectionHolder(IOptions<HoldingOptions> options, TimeProvider time, ILogger<ConnectionHolder> logger, IHoldingObserver observer)
    {
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        this.observer = observer;
        total = new ConnectionBudget(this.options.MaxConnections);
        pool = new PortPool(this.options.FirstPort, this.options.LastPort);
        listenAddress = this.options.ListenIPAddress() ?? throw new ArgumentException($"{HoldingOptions.Section}:ListenAddress '{this.options.ListenAddress}' is not an IP address", nameof(options));
        advertisedAddress = this.options.AdvertisedIPAddress() ?? throw new ArgumentException($"{HoldingOptions.Section}:AdvertiseAddress '{this.options.AdvertiseAddress}' is not an IP address", nameof(options));
    }

    /// <summary>Connections and flows through the holder now, across every held Service.</summary>
    public int Connections => total.Count;

    /// <summary>Services held now (not yet ended).</summary>
    public int Held
    {
        get
        {
            lock (gate)
            {
                return holds.Count;
            }
        }
    }

    IHeldService? IConnectionHolder.Hold(HoldRequest request) => Hold(request);

    /// <inheritdoc cref="IConnectionHolder.Hold"/>
    public HeldService? Hold(HoldRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var distinct = request.Ports.Distinct().ToList();
        if (distinct.Count == 0)
        {
            throw new ArgumentException($"a hold of {request.Service} needs at least one port", nameof(request));
        }

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (holds.TryGetValue(request.Service, out var existing))
            {
                return existing;
            }

            var fromRange = distinct.Count(port => request.PreferredPort(port) is null);
            if (pool.Free < fromRange)
            {
                logger.HoldRefused(request.Service, $"{fromRange} listener ports needed, {pool.Free} free in {options.FirstPort}-{options.LastPort}");
                return null;
            }

            var context = new HoldContext(request.Service, options, total, time, logger, observer, shutdown.Token);
            var bound = new Dictionary<HeldPort, PortHold>();
            foreach (var port in distinct)
            {
                if ((BindPreferred(context, port, request.PreferredPort(port)) ?? Bind(context, port)) is not { } hold)
                {
                    foreach (var made in bound.Values)
                    {
                        made.StopAccepting();
                        Release(made.Port.Protocol, made.Listener.Port);
                    }

                    logger.HoldRefused(request.Service, $"no port of {options.FirstPort}-{options.LastPort} could be bound for {port.Name}/{port.Protocol}");
                    return null;
                }

                bound.Add(port, hold);
            }

            var held = new HeldService(request, bound, advertisedAddress, context, OnEnded, OnCompleted);
            holds.Add(request.Service, held);
            live.Add(held);
            logger.HoldStarted(request.Service, request.Deadline, string.Join(", ", held.Listeners.Select(pair => $"{pair.Key.Name}/{pair.Key.Protocol} on {pair.Value.Port}")));
            return held;
        }
    }

    /// <summary>Resets or drops everything held, closes every listener and waits until each has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        List<HeldService> all;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            all = [.. live];
        }

        await shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var held in all)
        {
            held.Shutdown();
        }

        await Task.WhenAll(all.Select(held => held.Completion)).ConfigureAwait(false);
        shutdown.Dispose();
    }

    /// <summary>Binds the first free port of the range that the system lets us have (another process may hold some). Under the lock.</summary>
    private PortHold? Bind(HoldContext context, HeldPort port)
    {
        foreach (var candidate in pool.Candidates().ToList())
        {
            var local = new IPEndPoint(listenAddress, candidate);
            try
            {
                PortHold hold = port.Protocol == HeldProtocol.Udp ? UdpPortHold.Bind(context, port, local) : TcpPortHold.Bind(context, port, local);
                pool.Take(candidate);
                return hold;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                // Taken outside the holder: try the next port.
            }
        }

        return null;
    }

    /// <summary>
    /// Binds <paramref name="preferred"/> if no hold of this process has it (a port of the range through
    /// the pool) and the system lets us; null otherwise, and the range is used. Under the lock.
    /// </summary>
    private PortHold? BindPreferred(HoldContext context, HeldPort port, int? preferred)
    {
        if (preferred is not { } number)
        {
            return null;
        }

        var inRange = number >= options.FirstPort && number <= options.LastPort;
        if (inRange ? !pool.IsFree(number) : preferredTaken.Contains((port.Protocol, number)))
        {
            return null;
        }

        var local = new IPEndPoint(listenAddress, number);
        try
        {
            PortHold hold = port.Protocol == HeldProtocol.Udp ? UdpPortHold.Bind(context, port, local) : TcpPortHold.Bind(context, port, local);
            if (inRange)
            {
                pool.Take(number);
            }
            else
            {
                preferredTaken.Add((port.Protocol, number));
            }

            return hold;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            // Another socket of this host has it, or it is privileged: the range it is.
            return null;
        }
    }

    /// <summary>Gives a listener's port back: to the pool when it is of the range. Under the lock.</summary>
    private void Release(HeldProtocol protocol, int port)
    {
        if (port >= options.FirstPort && port <= options.LastPort)
        {
            pool.Return(port);
        }
        else
        {
            preferredTaken.Remove((protocol, port));
        }
    }

    private void OnEnded(HeldService held)
    {
        lock (gate)
        {
            if (holds.TryGetValue(held.Request.Service, out var current) && current == held)
            {
                holds.Remove(held.Request.Service);
            }
        }
    }

    private void OnCompleted(HeldService held)
    {
        lock (gate)
        {
            live.Remove(held);
            foreach (var (protocol, port) in held.Ports)
            {
                Release(protocol, port);
            }
        }
    }
}
