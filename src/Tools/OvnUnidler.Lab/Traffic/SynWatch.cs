using System.Globalization;
using OvnUnidler.Lab.Network;

namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// tcpdump (Debian's) on a client pod's eth0, reporting every SYN and SYN-ACK as it passes, with
/// the capture's wall-clock timestamp: the client's first SYN, its retransmits, and the answer.
/// </summary>
public sealed class SynWatch : IDisposable
{
    private readonly PodProcess process;
    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SynWatch(LabPod pod, Action<DateTime, string> onPacket)
    {
        process = pod.Start("tcpdump", ["-i", "eth0", "-nn", "-l", "-tt", "--immediate-mode", "tcp[tcpflags] & tcp-syn != 0"]);
        process.ErrorLine += line =>
        {
            if (line.Contains("listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        };
        process.Line += line =>
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && double.TryParse(line[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                onPacket(DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)), line[(space + 1)..]);
            }
        };
    }

    public static async Task<SynWatch> StartAsync(LabPod pod, Action<DateTime, string> onPacket, CancellationToken cancellationToken)
    {
        var watch = new SynWatch(pod, onPacket);
        await watch.listening.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return watch;
    }

    public void Dispose() => process.Dispose();
}
