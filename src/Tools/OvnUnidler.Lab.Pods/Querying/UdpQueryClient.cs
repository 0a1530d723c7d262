using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OvnUnidler.Lab.Pods.Querying;

/// <summary>
/// A UDP client with a fixed retry schedule: query 1 at once, then one more every interval until
/// the first answer (to any of them) or the timeout, as a resolver retries. It prints one line,
/// "first-sent=T answered=T attempts=N from=ADDRESS:PORT answer=TEXT", times in UTC (ISO 8601),
/// answered=- and from=- when no answer came; exit code 0 when answered, 1 when not. The socket
/// takes an answer from any source, so the report names it: through a VIP it must be the VIP.
/// </summary>
public static class UdpQueryClient
{
    public static async Task<int> RunAsync(QueryOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        using var socket = new Socket(options.Target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Not connected: an unconnected socket is not told of ICMP port-unreachable answers to
        // earlier queries, so one refused query does not end the schedule.
        socket.Bind(new IPEndPoint(options.Target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        var buffer = new byte[2048];
        DateTime? firstSent = null;
        var attempts = 0;
        var receive = socket.ReceiveFromAsync(buffer, SocketFlags.None, options.Target, deadline.Token).AsTask();
        try
        {
            while (true)
            {
                attempts++;
                var sentAt = DateTime.UtcNow;
                firstSent ??= sentAt;
                await socket.SendToAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"query {attempts}")), SocketFlags.None, options.Target, deadline.Token)
                    .ConfigureAwait(false);
                var next = Task.Delay(options.Interval - (DateTime.UtcNow - sentAt), deadline.Token);
                if (await Task.WhenAny(receive, next).ConfigureAwait(false) == receive)
                {
                    var received = await receive.ConfigureAwait(false);
                    var answeredAt = DateTime.UtcNow;
                    await Report(output, firstSent.Value, answeredAt, attempts, received.RemoteEndPoint.ToString() ?? "-", Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes))
                        .ConfigureAwait(false);
                    return 0;
                }

                await next.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Report(output, firstSent ?? DateTime.UtcNow, null, attempts, "-", "").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task Report(TextWriter output, DateTime firstSent, DateTime? answeredAt, int attempts, string from, string answer)
    {
        var answered = answeredAt is { } at ? at.ToString("O", CultureInfo.InvariantCulture) : "-";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"first-sent={firstSent.ToString("O", CultureInfo.InvariantCulture)} answered={answered} attempts={attempts} from={from} answer={answer.TrimEnd()}"))
            .ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }
}
