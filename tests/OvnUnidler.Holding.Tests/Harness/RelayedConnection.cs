using System.Net.Sockets;

namespace OvnUnidler.Holding.Tests.Harness;

/// <summary>
/// A client connected through a hold whose endpoint (a <see cref="TcpBackend"/>) was ready before
/// the client arrived, and that connection as the endpoint accepted it.
/// </summary>
public sealed class RelayedConnection : IDisposable
{
    private readonly TcpBackend backend;

    private RelayedConnection(TcpBackend backend, Socket client, Socket server)
    {
        this.backend = backend;
        Client = client;
        Server = server;
    }

    public Socket Client { get; }

    public Socket Server { get; }

    /// <summary>Makes a backend <paramref name="held"/>'s ready HTTP endpoint, connects a client to the hold's listener and accepts it at the backend.</summary>
    public static async Task<RelayedConnection> OpenAsync(HeldService held)
    {
        ArgumentNullException.ThrowIfNull(held);
        var backend = new TcpBackend();
        Socket? client = null;
        try
        {
            held.SetReadyEndpoints(HolderHarness.Http, [backend.Endpoint]);
            client = await TcpBackend.ConnectAsync(held.Listeners[HolderHarness.Http]);
            return new RelayedConnection(backend, client, await backend.AcceptAsync());
        }
        catch
        {
            client?.Dispose();
            backend.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        backend.Dispose();
    }
}
