using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace OvnUnidler.Holding.Udp;

/// <summary>
/// One client (source address and port) of a held UDP port: its kept datagrams until an endpoint is
/// ready, then its own connected socket to that endpoint. Guarded by its port's lock, except the
/// activity stamp, which the reply loop also writes.
/// </summary>
internal sealed class UdpFlow(SocketAddress client, long arrived)
{
    private readonly Queue<(byte[] Buffer, int Length)> kept = new();

    // Written by the receive loop (under the port's lock) and the reply loop (without it); MinValue until the first write.
    private long lastActivity = long.MinValue;

    public SocketAddress Client => client;

    public long Arrived => arrived;

    public long LastActivity => Volatile.Read(ref lastActivity) is var stamp && stamp == long.MinValue ? arrived : stamp;

    public int KeptDatagrams => kept.Count;

    public int KeptBytes { get; private set; }

    /// <summary>The flow's socket to its endpoint once one was ready; null while it waits.</summary>
    public Socket? Upstream { get; private set; }

    /// <summary>Whether the flow was ever counted as held (it waited for an endpoint).</summary>
    public bool Held { get; set; }

    public void Touch(long timestamp) => Volatile.Write(ref lastActivity, timestamp);

    public void Keep(ReadOnlySpan<byte> datagram)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        kept.Enqueue((buffer, datagram.Length));
        KeptBytes += datagram.Length;
    }

    /// <summary>Removes the oldest kept datagram; the caller returns its buffer to the shared pool.</summary>
    public bool TryTakeKept(out byte[] buffer, out int length)
    {
        if (!kept.TryDequeue(out var datagram))
        {
            (buffer, length) = ([], 0);
            return false;
        }

        KeptBytes -= datagram.Length;
        (buffer, length) = datagram;
        return true;
    }

    public Socket Connect(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(endpoint);

            // A full send buffer drops the datagram (as the network would) instead of stalling the listener's loop.
            socket.Blocking = false;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Upstream = socket;
        return socket;
    }

    public void Close() => Upstream?.Dispose();
}
