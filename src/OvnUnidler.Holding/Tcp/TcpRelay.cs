using System.Buffers;
using System.Net.Sockets;
using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Holding.Tcp;

/// <summary>
/// Copies bytes both ways between a client and an endpoint, one pump per direction with a pooled
/// buffer each. End of stream on one side is passed on as a half-close (shutdown of sending) so
/// the other direction goes on; a reset or error on either side resets both.
/// </summary>
internal sealed class TcpRelay(Socket client, Socket upstream, int bufferBytes, Action<RelayDirection, int> onBytes, CancellationToken shutdown)
{
    /// <summary>True when both directions ended with a close; false when the relay was reset.</summary>
    public async Task<bool> RunAsync()
    {
        var toEndpoint = PumpAsync(client, upstream, RelayDirection.ToEndpoint);
        var toClient = PumpAsync(upstream, client, RelayDirection.ToClient);
        var first = await Task.WhenAny(toEndpoint, toClient).ConfigureAwait(false);
        if (!first.Result)
        {
            // Unblocks the other pump: its receive or send fails on the closed socket.
            TcpPortHold.Abort(client);
            TcpPortHold.Abort(upstream);
            await (first == toEndpoint ? toClient : toEndpoint).ConfigureAwait(false);
            return false;
        }

        if (!await (first == toEndpoint ? toClient : toEndpoint).ConfigureAwait(false))
        {
            TcpPortHold.Abort(client);
            TcpPortHold.Abort(upstream);
            return false;
        }

        return true;
    }

    /// <summary>True at end of stream (passed on); false when either socket failed.</summary>
    private async Task<bool> PumpAsync(Socket from, Socket to, RelayDirection direction)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        try
        {
            while (true)
            {
                var received = await from.ReceiveAsync(buffer.AsMemory(0, bufferBytes), SocketFlags.None, shutdown).ConfigureAwait(false);
                if (received == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return true;
                }

                var sent = 0;
                while (sent < received)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, received - sent), SocketFlags.None, shutdown).ConfigureAwait(false);
                }

                onBytes(direction, received);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
