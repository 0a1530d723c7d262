using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OvnUnidler.Holding.Tests.Harness;

/// <summary>A real UDP socket on loopback: a client of a held Service, or its pod.</summary>
public sealed class UdpPeer : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpPeer()
    {
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint Endpoint { get; }

    public Task SendAsync(IPEndPoint to, string text) =>
        socket.SendToAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, to, TestContext.Current.CancellationToken).AsTask().Within();

    public Task SendAsync(IPEndPoint to, int bytes) =>
        socket.SendToAsync(new byte[bytes], SocketFlags.None, to, TestContext.Current.CancellationToken).AsTask().Within();

    public async Task<(string Text, IPEndPoint From)> ReceiveAsync()
    {
        var buffer = new byte[65536];
        var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), TestContext.Current.CancellationToken).AsTask().Within();
        return (Encoding.ASCII.GetString(buffer, 0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
    }

    public void Dispose() => socket.Dispose();
}
