using System.Net;
using System.Net.Sockets;
using System.Text;
using OvnUnidler.Lab.Network;

namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// The lab's readiness probe: every <see cref="Interval"/> an HTTP GET to the pod's own address
/// from a socket inside the pod's namespace, as a kubelet's httpGet probe; the pod is ready at the
/// first 200 status line. The time of that answer is the readiness clock of every benchmark.
/// </summary>
public static class ReadinessProbe
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task<DateTime> WaitUntilAnswersAsync(LabPod pod, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        using var ticks = new PeriodicTimer(Interval);
        do
        {
            if (await AnswersAsync(pod, new IPEndPoint(pod.Ipv4, port), cancellationToken).ConfigureAwait(false))
            {
                return DateTime.UtcNow;
            }
        }
        while (await ticks.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));

        throw new OperationCanceledException(cancellationToken);
    }

    private static async Task<bool> AnswersAsync(LabPod pod, IPEndPoint target, CancellationToken cancellationToken)
    {
        using var socket = pod.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(target, attempt.Token).ConfigureAwait(false);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n"), SocketFlags.None, attempt.Token)
                .ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, attempt.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
