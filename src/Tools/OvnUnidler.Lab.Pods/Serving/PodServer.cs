using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OvnUnidler.Lab.Pods.Serving;

/// <summary>
/// A pod's workload: after its start-up delay it answers HTTP/1.1 on TCP with 200 and its name
/// (or, for GET /bytes/N, N bytes), and echoes "NAME: DATAGRAM" to every UDP datagram, on both address families. It resolves no
/// names: a server that looks itself up in DNS before listening (as python's http.server does)
/// waits seconds in a namespace without DNS.
/// </summary>
public static class PodServer
{
    /// <summary>GET /bytes/N answers N zero bytes (a bulk transfer); every other request gets the pod's name.</summary>
    public const string BulkPath = "/bytes/";

    public static async Task<int> RunAsync(ServerOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        await Task.Delay(options.Delay, cancellationToken).ConfigureAwait(false);
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        listener.Bind(new IPEndPoint(IPAddress.IPv6Any, options.HttpPort));
        listener.Listen(512);
        using var udp = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        udp.Bind(new IPEndPoint(IPAddress.IPv6Any, options.UdpPort));
        await output.WriteLineAsync($"listening http={options.HttpPort} udp={options.UdpPort}").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(AcceptAsync(listener, options.Name, cancellationToken), EchoAsync(udp, options.Name, cancellationToken)).ConfigureAwait(false);
        return 0;
    }

    private static async Task AcceptAsync(Socket listener, string name, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            _ = AnswerAsync(connection, name, cancellationToken);
        }
    }

    private static async Task AnswerAsync(Socket connection, string name, CancellationToken cancellationToken)
    {
        using (connection)
        {
            try
            {
                var request = await ReadRequestHeadAsync(connection, cancellationToken).ConfigureAwait(false);
                if (BulkLength(request) is { } length)
                {
                    await SendBytesAsync(connection, length, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var body = Encoding.ASCII.GetBytes(name + "\n");
                    var head = Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await connection.SendAsync(head.Concat(body).ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }

                connection.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The client went away; nothing to answer.
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }

    // Reads until the blank line that ends an HTTP/1.1 request head (RFC 9112 section 2.1); only
    // the request line's target is looked at.
    private static async Task<string> ReadRequestHeadAsync(Socket connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var seen = new StringBuilder();
        while (seen.Length < 65536)
        {
            var read = await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
            if (seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        return seen.ToString();
    }

    // "GET /bytes/N HTTP/1.1": a bulk body of N bytes, for throughput through the VIP (direct or relayed).
    private static long? BulkLength(string request)
    {
        var target = request.Split(' ', 3) is [_, var path, _] ? path : "";
        return target.StartsWith(BulkPath, StringComparison.Ordinal)
            && long.TryParse(target.AsSpan(BulkPath.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : null;
    }

    private static async Task SendBytesAsync(Socket connection, long length, CancellationToken cancellationToken)
    {
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
        await connection.SendAsync(head, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var chunk = new byte[64 * 1024];
        for (var left = length; left > 0; left -= chunk.Length)
        {
            await connection.SendAsync(chunk.AsMemory(0, (int)Math.Min(left, chunk.Length)), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EchoAsync(Socket udp, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            var answer = Encoding.ASCII.GetBytes($"{name}: {Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes)}");
            await udp.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
        }
    }
}
