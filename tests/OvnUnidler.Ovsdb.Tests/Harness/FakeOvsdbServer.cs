using System.Net;
using System.Net.Sockets;

namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>
/// A TCP peer that speaks just enough of the protocol to bring a client to a given point and then
/// sends garbage: malformed JSON, wrong types, error replies, a message cut off by a close. OVSDB
/// semantics are always tested against a real ovsdb-server; this only produces protocol faults a
/// real server never would. Each accepted connection runs the next script (the last one repeats).
/// </summary>
public sealed class FakeOvsdbServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly Func<FakeSession, Task>[] scripts;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> sessions = [];
    private readonly Task accepting;
    private int connections;

    private FakeOvsdbServer(Func<FakeSession, Task>[] scripts)
    {
        this.scripts = scripts;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        accepting = AcceptAsync();
    }

    public string Remote => $"tcp:127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref connections);

    /// <summary>Failures of the scripts themselves (a client that did not ask what the script expected).</summary>
    public List<Exception> ScriptErrors { get; } = [];

    public static FakeOvsdbServer Start(params Func<FakeSession, Task>[] scripts) => new(scripts);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Task[] running;
        lock (sessions)
        {
            running = [.. sessions];
        }

        await Task.WhenAll(running).WaitAsync(Deadline.Short).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var socket = await listener.AcceptSocketAsync(stopping.Token);
            var index = Interlocked.Increment(ref connections) - 1;
            var script = scripts[Math.Min(index, scripts.Length - 1)];
            lock (sessions)
            {
                sessions.Add(RunAsync(socket, script));
            }
        }
    }

    private async Task RunAsync(Socket socket, Func<FakeSession, Task> script)
    {
        using var session = new FakeSession(new NetworkStream(socket, ownsSocket: true), stopping.Token);
        try
        {
            await script(session);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the test ended.
        }
        catch (Exception exception)
        {
            lock (ScriptErrors)
            {
                ScriptErrors.Add(exception);
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"fake server script failed: {exception}");
        }
    }
}
