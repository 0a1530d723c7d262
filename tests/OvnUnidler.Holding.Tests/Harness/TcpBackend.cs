using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OvnUnidler.Holding.Tests.Harness;

/// <summary>A real TCP server on loopback standing in for a Service's pod.</summary>
public sealed class TcpBackend : IDisposable
{
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public TcpBackend()
    {
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public IPEndPoint Endpoint { get; }

    public Task<Socket> AcceptAsync() => listener.AcceptAsync(TestContext.Current.CancellationToken).AsTask().Within();

    public void Dispose() => listener.Dispose();

    public static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, TestContext.Current.CancellationToken).AsTask().Within();
        return socket;
    }

    public static Task SendAsync(Socket socket, string text) =>
        socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, TestContext.Current.CancellationToken).AsTask().Within();

    /// <summary>Reads until the peer closes its side (a FIN); throws on a reset.</summary>
    public static async Task<string> ReadToEndAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken).AsTask().Within();
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public static async Task<string> ReadAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var total = 0;
        while (total < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, TestContext.Current.CancellationToken).AsTask().Within();
            Assert.True(read > 0, $"the peer closed after {total} of {count} bytes");
            total += read;
        }

        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>
    /// Connects and reads once: the socket error either ends with. On loopback a holder's reset can
    /// beat the client's own connect completion, so a reset shows at connect or at the first read.
    /// </summary>
    public static async Task<SocketError?> ConnectAndReadErrorAsync(IPEndPoint endpoint)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(endpoint);
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }

        using (socket)
        {
            return await ReadErrorAsync(socket);
        }
    }

    /// <summary>The socket error the next read ends with (ConnectionReset for a RST), or null when it reads a FIN or data.</summary>
    public static async Task<SocketError?> ReadErrorAsync(Socket socket)
    {
        try
        {
            await socket.ReceiveAsync(new byte[16], SocketFlags.None, TestContext.Current.CancellationToken).AsTask().Within();
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
