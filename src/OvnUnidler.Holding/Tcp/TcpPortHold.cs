using System.Net;
using System.Net.Sockets;
using OvnUnidler.Holding.Listening;
using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Holding.Tcp;

/// <summary>
/// One held TCP port: accepts every connection, holds it until the port has a ready endpoint, then
/// connects to one (round robin) and relays both ways. Waiting connections wake on the readiness
/// signal itself, so forwarding starts the moment endpoints arrive.
/// </summary>
internal sealed partial class TcpPortHold : PortHold
{
    private readonly Socket listener;
    private readonly Lock gate = new();
    // Not linked to the holder's shutdown: the holder fails every port itself, and an unlinked source needs no disposal.
    private readonly CancellationTokenSource failed = new();
    private TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HoldFailure failure;
    private int next;
    private int waiting;

    // The listener counts as one, so the port completes when it is closed and the last connection ends.
    private int open = 1;

    private TcpPortHold(HoldContext context, HeldPort port, Socket listener)
        : base(context, port)
    {
        this.listener = listener;
        Listener = (IPEndPoint)listener.LocalEndPoint!;
    }

    public override IPEndPoint Listener { get; }

    public override int Waiting => Volatile.Read(ref waiting);

    /// <summary>Binds the listener; throws <see cref="SocketException"/> when the port is taken.</summary>
    public static TcpPortHold Bind(HoldContext context, HeldPort port, IPEndPoint local)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (local.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(local);
            socket.Listen(512);
            return new TcpPortHold(context, port, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override void Start() => _ = AcceptAsync();

    public override void StopAccepting() => listener.Dispose();

    public override void FailWaiting(HoldFailure failure)
    {
        lock (gate)
        {
            if (failed.IsCancellationRequested)
            {
                return;
            }

            this.failure = failure;
        }

        failed.Cancel();
    }

    protected override void OnEndpointsChanged()
    {
        lock (gate)
        {
            if (HasEndpoints)
            {
                ready.TrySetResult();
            }
            else if (ready.Task.IsCompleted)
            {
                ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(Context.Shutdown).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
                {
                    // The client gave up between its handshake and our accept (RFC 9293 3.10.7.1): not ours to count.
                    continue;
                }

                Admit(client);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
            || (e is SocketException socket && socket.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted))
        {
            // StopAccepting or shutdown closed the listener.
        }
        catch (Exception e)
        {
            Context.Logger.HoldListenerFailed(Context.Service, Label, e);
            listener.Dispose();
        }
        finally
        {
            Close();
        }
    }

    private void Admit(Socket client)
    {
        if (!Context.TryAdmit(out var serviceLimit))
        {
            Reset(client, serviceLimit ? ResetReason.ServiceLimit : ResetReason.TotalLimit);
            return;
        }

        Interlocked.Increment(ref open);
        Context.Counter.Admitted(HeldProtocol.Tcp);
        _ = ServeAsync(client);
    }

    private async Task ServeAsync(Socket client)
    {
        var arrived = Context.Time.GetTimestamp();
        var held = false;
        var unsettled = true;
        Socket? upstream = null;
        try
        {
            client.NoDelay = true;
            while (upstream is null)
            {
                var endpoints = Endpoints;
                if (endpoints.Length == 0)
                {
                    if (!held)
                    {
                        held = true;
                        Interlocked.Increment(ref waiting);
                        Context.Observer.ConnectionHeld(Context.Service, Port);
                    }

                    if (!await WaitForEndpointsAsync().ConfigureAwait(false))
                    {
                        Reset(client, failure switch
                        {
                            HoldFailure.Deadline => ResetReason.Deadline,
                            HoldFailure.Shutdown => ResetReason.Shutdown,
                            _ => ResetReason.HoldFailed,
                        });
                        return;
                    }

                    continue;
                }

                upstream = await ConnectAsync(endpoints).ConfigureAwait(false);
                if (upstream is null)
                {
                    Reset(client, Context.Shutdown.IsCancellationRequested ? ResetReason.Shutdown : ResetReason.ConnectFailed);
                    return;
                }
            }

            if (held)
            {
                Interlocked.Decrement(ref waiting);
                held = false;
            }

            unsettled = false;
            Context.Counter.Relayed(HeldProtocol.Tcp);
            Context.Observer.ConnectionRelayed(Context.Service, Port, Context.Time.GetElapsedTime(arrived));
            await RelayAsync(client, upstream).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Context.Logger.RelayFailed(Context.Service, Label, Describe(client), e);
            Context.Counter.Reset(ResetReason.PeerReset);
            Context.Observer.ConnectionReset(Context.Service, Port, ResetReason.PeerReset);
            Abort(client);
            if (upstream is not null)
            {
                Abort(upstream);
            }
        }
        finally
        {
            if (held)
            {
                Interlocked.Decrement(ref waiting);
            }

            if (unsettled)
            {
                Context.Counter.GaveUp();
            }

            client.Dispose();
            upstream?.Dispose();
            Context.Release();
            Close();
        }
    }

    /// <summary>Waits for the readiness signal; false when the wait was given up (failure, deadline, shutdown).</summary>
    private async Task<bool> WaitForEndpointsAsync()
    {
        Task signal;
        lock (gate)
        {
            signal = ready.Task;
        }

        try
        {
            await signal.WaitAsync(failed.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Tries the ready endpoints once each, starting at the next in turn; null when none accepted.</summary>
    private async Task<Socket?> ConnectAsync(IPEndPoint[] endpoints)
    {
        var start = (int)((uint)Interlocked.Increment(ref next) % (uint)endpoints.Length);
        for (var attempt = 0; attempt < endpoints.Length; attempt++)
        {
            var endpoint = endpoints[(start + attempt) % endpoints.Length];
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = new CancellationTokenSource(Context.Options.ConnectTimeout, Context.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, Context.Shutdown);
            try
            {
                await socket.ConnectAsync(endpoint, linked.Token).ConfigureAwait(false);
                return socket;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                if (Context.Shutdown.IsCancellationRequested)
                {
                    return null;
                }

                Context.Logger.ConnectFailed(Context.Service, Label, endpoint.ToString(), e is SocketException socketError ? socketError.SocketErrorCode.ToString() : "timed out");
            }
        }

        return null;
    }

    private async Task RelayAsync(Socket client, Socket upstream)
    {
        var relay = new TcpRelay(client, upstream, Context.Options.RelayBufferBytes, OnBytes, Context.Shutdown);
        if (!await relay.RunAsync().ConfigureAwait(false))
        {
            var reason = Context.Shutdown.IsCancellationRequested ? ResetReason.Shutdown : ResetReason.PeerReset;
            Context.Counter.Reset(reason);
            Context.Observer.ConnectionReset(Context.Service, Port, reason);
        }
    }

    private void OnBytes(RelayDirection direction, int bytes) => Context.Observer.BytesRelayed(Context.Service, Port, direction, bytes);

    private void Reset(Socket client, ResetReason reason)
    {
        Context.Logger.ConnectionReset(Context.Service, Label, Describe(client), reason);
        Context.Counter.Reset(reason);
        Context.Observer.ConnectionReset(Context.Service, Port, reason);
        Abort(client);
    }

    private void Close()
    {
        if (Interlocked.Decrement(ref open) == 0)
        {
            Complete();
        }
    }

    /// <summary>Closes with SO_LINGER 0, so the peer gets RST instead of FIN (RFC 9293 3.10.7.1): it never mistakes a reset for an answer.</summary>
    internal static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing left to reset.
        }

        socket.Dispose();
    }

    private static string Describe(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return "?";
        }
    }
}
