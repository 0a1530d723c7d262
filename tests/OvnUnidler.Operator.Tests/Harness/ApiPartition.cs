using System.Net;
using System.Net.Sockets;
using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>
/// A TCP relay between one operator process and the API double that a test can cut, as a network
/// partition cuts one node off the API server: while cut, open connections (watches, requests in
/// flight) are reset and new ones are reset as soon as they connect, so the client sees connection
/// errors, not HTTP answers. Other clients of the double are not affected.
/// </summary>
public sealed class ApiPartition : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Uri upstream;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly HashSet<Socket> open = [];
    private readonly Task accepting;
    private bool cut;
    private int refused;
    private int relayed;

    private ApiPartition(KubernetesApiDouble api)
    {
        upstream = api.BaseAddress;
        listener.Start();
        Kubeconfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-partition-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(Kubeconfig, api.Kubeconfig.Replace(api.BaseAddress.ToString(), $"http://127.0.0.1:{Port}/", StringComparison.Ordinal));
        accepting = AcceptAsync();
    }

    /// <summary>A kubeconfig whose server is this relay.</summary>
    public string Kubeconfig { get; }

    /// <summary>Connections reset because they were made while cut.</summary>
    public int Refused => Volatile.Read(ref refused);

    /// <summary>Connections relayed to the API double so far.</summary>
    public int Relayed => Volatile.Read(ref relayed);

    private int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static ApiPartition Start(KubernetesApiDouble api) => new(api);

    public void Cut()
    {
        Socket[] reset;
        lock (gate)
        {
            cut = true;
            reset = [.. open];
            open.Clear();
        }

        foreach (var socket in reset)
        {
            Reset(socket);
        }
    }

    public void Restore()
    {
        lock (gate)
        {
            cut = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        Cut();
        await accepting;
        stopping.Dispose();
        File.Delete(Kubeconfig);
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (gate)
        {
            if (cut)
            {
                Interlocked.Increment(ref refused);
                Reset(client);
                server.Dispose();
                return;
            }

            open.Add(client);
            open.Add(server);
            Interlocked.Increment(ref relayed);
        }

        try
        {
            await server.ConnectAsync(upstream.Host, upstream.Port, stopping.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (gate)
            {
                open.Remove(client);
                open.Remove(server);
            }

            Reset(client);
            Reset(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, stopping.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stopping.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes with an RST (linger 0), as a peer that is gone: the client gets "connection reset".</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
