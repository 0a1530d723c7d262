using System.Buffers;
using System.Net;
using System.Net.Sockets;
using OvnUnidler.Holding.Listening;
using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Holding.Udp;

/// <summary>
/// One held UDP port. Datagrams are kept per client until the port has a ready endpoint, then sent
/// in order from a socket of the client's own (its flow), and every reply goes back to the client
/// from this listener's socket: the client's conntrack entry, and OVN's load-balancer NAT of the VIP
/// to this backend, then match the reply, which the client sees coming from the VIP.
/// <para>
/// After the hold drained, OVN's conntrack still sends every client whose entry names this holder
/// here (an entry lives as long as its client keeps sending within the datapath's UDP timeout; OVN
/// flushes none by default), including one whose datagram to the holder was lost or whose flow here
/// expired. So the listener relays any client that still arrives, as long as the Service has ready
/// endpoints, and closes only once no flow is left and no datagram came for the idle timeout.
/// </para>
/// </summary>
internal sealed class UdpPortHold : PortHold
{
    // The largest UDP payload (65,535 less the IPv4 and UDP headers).
    private const int MaxDatagram = 65_507;

    private readonly Socket listener;
    private readonly Lock gate = new();
    private readonly Dictionary<SocketAddress, UdpFlow> flows = [];
    private ITimer? sweeper;
    private bool accepting = true;
    private bool failed;
    private bool closed;
    private long lastDatagram;
    private HoldFailure failure;
    private uint next;

    private UdpPortHold(HoldContext context, HeldPort port, Socket listener)
        : base(context, port)
    {
        this.listener = listener;
        Listener = (IPEndPoint)listener.LocalEndPoint!;
    }

    public override IPEndPoint Listener { get; }

    public override int Waiting
    {
        get
        {
            lock (gate)
            {
                return flows.Values.Count(flow => flow.Upstream is null);
            }
        }
    }

    /// <summary>Binds the listener; throws <see cref="SocketException"/> when the port is taken.</summary>
    public static UdpPortHold Bind(HoldContext context, HeldPort port, IPEndPoint local)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(local);
            return new UdpPortHold(context, port, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override void Start()
    {
        var period = Context.Options.UdpFlowIdleTimeout / 4;
        sweeper = Context.Time.CreateTimer(_ => Sweep(), null, period, period);
        _ = ReceiveAsync();
    }

    public override void StopAccepting()
    {
        lock (gate)
        {
            accepting = false;
            lastDatagram = Context.Time.GetTimestamp();
            CloseWhenIdle();
        }
    }

    public override void FailWaiting(HoldFailure failure)
    {
        var reason = failure switch
        {
            HoldFailure.Deadline => DropReason.Deadline,
            HoldFailure.Shutdown => DropReason.Shutdown,
            _ => DropReason.HoldFailed,
        };
        lock (gate)
        {
            accepting = false;
            failed = true;
            this.failure = failure;
            foreach (var flow in flows.Values.Where(flow => flow.Upstream is null || failure == HoldFailure.Shutdown).ToList())
            {
                Remove(flow, reason);
            }

            CloseWhenIdle();
        }
    }

    protected override void OnEndpointsChanged()
    {
        var endpoints = Endpoints;
        if (endpoints.Length == 0)
        {
            return;
        }

        Context.Logger.EndpointsReady(Context.Service, Label, endpoints.Length);
        lock (gate)
        {
            foreach (var flow in flows.Values.Where(flow => flow.Upstream is null).ToList())
            {
                Forward(flow, endpoints);
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        var from = new SocketAddress(listener.AddressFamily);
        try
        {
            while (true)
            {
                int received;
                try
                {
                    received = await listener.ReceiveFromAsync(buffer.AsMemory(0, MaxDatagram), SocketFlags.None, from, Context.Shutdown).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
                {
                    // An ICMP error for an earlier reply, or a datagram larger than any UDP payload: the listener itself is fine.
                    continue;
                }

                Arrive(buffer.AsSpan(0, received), from);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
            || (e is SocketException socket && socket.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted))
        {
            // Closed: the hold ended and its last flow is gone, or the holder stopped.
        }
        catch (Exception e)
        {
            Context.Logger.HoldListenerFailed(Context.Service, Label, e);
            lock (gate)
            {
                accepting = false;
                failed = true;
                foreach (var flow in flows.Values.ToList())
                {
                    Remove(flow, DropReason.SendFailed);
                }

                CloseWhenIdle();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Arrive(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        var now = Context.Time.GetTimestamp();
        lock (gate)
        {
            lastDatagram = now;
            if (!flows.TryGetValue(from, out var flow))
            {
                // After a drain only a client that OVN's conntrack still sends here arrives; dropping it
                // would lose every datagram it sends until it pauses for the datapath's UDP timeout.
                if (failed || (!accepting && Endpoints.Length == 0))
                {
                    Drop(from, failed ? FailureReason() : DropReason.Drained);
                    return;
                }

                if (!Context.TryAdmit(out var serviceLimit))
                {
                    Drop(from, serviceLimit ? DropReason.ServiceLimit : DropReason.TotalLimit);
                    return;
                }

                var client = new SocketAddress(from.Family, from.Size);
                from.Buffer[..from.Size].CopyTo(client.Buffer);
                flow = new UdpFlow(client, now);
                flows.Add(client, flow);
                Context.Counter.Admitted(HeldProtocol.Udp);
            }

            flow.Touch(now);
            if (flow.Upstream is { } upstream)
            {
                Send(flow, upstream, datagram);
                return;
            }

            var endpoints = Endpoints;
            if (endpoints.Length > 0)
            {
                if (Forward(flow, endpoints) is { } forwarded)
                {
                    Send(flow, forwarded, datagram);
                }
                else
                {
                    // The flow is gone with what it kept; this datagram goes with them.
                    Drop(flow.Client, DropReason.SendFailed);
                }

                return;
            }

            Keep(flow, datagram);
        }
    }

    private void Keep(UdpFlow flow, ReadOnlySpan<byte> datagram)
    {
        DropReason? refused = flow.KeptDatagrams >= Context.Options.MaxDatagramsPerClient ? DropReason.ClientDatagramLimit
            : flow.KeptBytes + datagram.Length > Context.Options.MaxBufferedBytesPerClient ? DropReason.ClientByteLimit
            : Context.TryKeep(datagram.Length);
        if (refused is { } reason)
        {
            Drop(flow.Client, reason);
            return;
        }

        if (!flow.Held)
        {
            flow.Held = true;
            Context.Observer.ConnectionHeld(Context.Service, Port);
        }

        flow.Keep(datagram);
        Context.Counter.Kept();
        Context.Observer.DatagramKept(Context.Service, Port);
    }

    /// <summary>Connects the flow to the next endpoint and sends what it kept, in order; null when that failed (the flow is gone).</summary>
    private Socket? Forward(UdpFlow flow, IPEndPoint[] endpoints)
    {
        var endpoint = endpoints[(int)(next++ % (uint)endpoints.Length)];
        Socket upstream;
        try
        {
            upstream = flow.Connect(endpoint);
        }
        catch (SocketException e)
        {
            Context.Logger.ConnectFailed(Context.Service, Label, endpoint.ToString(), e.SocketErrorCode.ToString());
            Remove(flow, DropReason.SendFailed);
            return null;
        }

        Context.Counter.Relayed(HeldProtocol.Udp);
        if (flow.Held)
        {
            Context.Observer.ConnectionRelayed(Context.Service, Port, Context.Time.GetElapsedTime(flow.Arrived));
        }

        while (flow.TryTakeKept(out var buffer, out var length))
        {
            Context.Unkeep(length);
            Send(flow, upstream, buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _ = ReplyAsync(flow, upstream);
        return upstream;
    }

    private void Send(UdpFlow flow, Socket upstream, ReadOnlySpan<byte> datagram)
    {
        try
        {
            upstream.Send(datagram);
            Context.Observer.BytesRelayed(Context.Service, Port, RelayDirection.ToEndpoint, datagram.Length);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable
            or SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
        {
            // An ICMP error of an earlier datagram surfaces here on a connected socket; the flow stays.
            Drop(flow.Client, DropReason.SendFailed);
        }
        catch (ObjectDisposedException)
        {
            Drop(flow.Client, DropReason.SendFailed);
        }
    }

    private async Task ReplyAsync(UdpFlow flow, Socket upstream)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        try
        {
            while (true)
            {
                int received;
                try
                {
                    received = await upstream.ReceiveAsync(buffer.AsMemory(0, MaxDatagram), SocketFlags.None, Context.Shutdown).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    // The endpoint's port answered with ICMP unreachable; the pod may still be binding it.
                    continue;
                }

                flow.Touch(Context.Time.GetTimestamp());
                try
                {
                    await listener.SendToAsync(buffer.AsMemory(0, received), SocketFlags.None, flow.Client, Context.Shutdown).ConfigureAwait(false);
                    Context.Observer.BytesRelayed(Context.Service, Port, RelayDirection.ToClient, received);
                }
                catch (SocketException e) when (e.SocketErrorCode is not SocketError.OperationAborted and not SocketError.Interrupted)
                {
                    Drop(flow.Client, DropReason.SendFailed);
                }
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
            || (e is SocketException socket && socket.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted))
        {
            // The flow expired or the holder stopped.
        }
        catch (Exception e)
        {
            Context.Logger.FlowFailed(Context.Service, Label, Describe(flow.Client), e);
            lock (gate)
            {
                if (flows.TryGetValue(flow.Client, out var current) && current == flow)
                {
                    Remove(flow, DropReason.SendFailed);
                    CloseWhenIdle();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Sweep()
    {
        try
        {
            var timeout = Context.Options.UdpFlowIdleTimeout;
            lock (gate)
            {
                foreach (var flow in flows.Values.ToList())
                {
                    var idle = Context.Time.GetElapsedTime(flow.LastActivity);
                    if (idle >= timeout)
                    {
                        Context.Logger.FlowExpired(Context.Service, Label, Describe(flow.Client), idle, flow.KeptDatagrams);
                        Remove(flow, DropReason.FlowExpired);
                    }
                }

                CloseWhenIdle();
            }
        }
        catch (Exception e)
        {
            // A timer callback must not throw (it would end the process); the next sweep tries again.
            Context.Logger.FlowFailed(Context.Service, Label, "(sweep)", e);
        }
    }

    /// <summary>Forgets a flow: its kept datagrams are dropped for <paramref name="reason"/>, its socket closed. Under the lock.</summary>
    private void Remove(UdpFlow flow, DropReason reason)
    {
        flows.Remove(flow.Client);
        while (flow.TryTakeKept(out var buffer, out var length))
        {
            Context.Unkeep(length);
            ArrayPool<byte>.Shared.Return(buffer);
            Drop(flow.Client, reason);
        }

        if (flow.Upstream is null)
        {
            Context.Counter.GaveUp();
        }

        flow.Close();
        Context.Release();
    }

    /// <summary>
    /// After the hold ended, the listener stays open while flows still relay (their replies leave from
    /// it) and, after a drain, until no datagram came for the idle timeout: a client OVN still sends here
    /// may not have a flow yet. A listener never started (its hold was refused) closes at once. Under the lock.
    /// </summary>
    private void CloseWhenIdle()
    {
        if (accepting || closed || flows.Count > 0
            || (!failed && sweeper is not null && Context.Time.GetElapsedTime(lastDatagram) < Context.Options.UdpFlowIdleTimeout))
        {
            return;
        }

        closed = true;
        sweeper?.Dispose();
        listener.Dispose();
        Complete();
    }

    private DropReason FailureReason() => failure switch
    {
        HoldFailure.Deadline => DropReason.Deadline,
        HoldFailure.Shutdown => DropReason.Shutdown,
        _ => DropReason.HoldFailed,
    };

    private void Drop(SocketAddress client, DropReason reason)
    {
        if (Context.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            Context.Logger.DatagramDropped(Context.Service, Label, Describe(client), reason);
        }

        Context.Counter.Dropped(reason);
        Context.Observer.DatagramDropped(Context.Service, Port, reason);
    }

    private string Describe(SocketAddress client)
    {
        try
        {
            return new IPEndPoint(listener.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(client).ToString() ?? "?";
        }
        catch (ArgumentException)
        {
            return "?";
        }
    }
}
