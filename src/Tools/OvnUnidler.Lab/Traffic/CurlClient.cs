using System.Globalization;
using System.Text.RegularExpressions;
using OvnUnidler.Lab.Network;

namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// The lab's HTTP client is curl (Debian's), run in a client pod. Its verbose trace with
/// --trace-time stamps every line with the wall clock: "Trying" just before connect(2) sends
/// the first SYN, "Connected to" once the handshake is done, "&lt; HTTP/1.1" when the response
/// begins. The kernel retransmits the SYN on its own schedule (net.ipv4.tcp_syn_linear_timeouts).
/// </summary>
public static partial class CurlClient
{
    public static PodProcess Start(LabPod client, Uri url, TimeSpan maxTime)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        return client.Start("curl",
        [
            "-sS", "-v", "--trace-time", "-g", "--max-time", maxTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), url.ToString(),
        ], new Dictionary<string, string>(StringComparer.Ordinal) { ["TZ"] = "UTC" });
    }

    public static async Task<HttpExchange> RequestAsync(LabPod client, Uri url, TimeSpan maxTime, CancellationToken cancellationToken)
    {
        using var process = Start(client, url, maxTime);
        var exit = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return Parse(process.StartedAt, exit, string.Join('\n', process.Output), process.StandardError);
    }

    public static HttpExchange Parse(DateTime startedAt, int exitCode, string body, string trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        DateTime? trying = null, connected = null, firstByte = null;
        string? status = null;
        foreach (var line in trace.Split('\n'))
        {
            var match = TraceLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var at = startedAt.Date + TimeSpan.ParseExact(match.Groups[1].Value, @"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture);
            if (at < startedAt - TimeSpan.FromHours(12))
            {
                at = at.AddDays(1);
            }

            var text = match.Groups[2].Value;
            if (trying is null && text.StartsWith("*   Trying", StringComparison.Ordinal))
            {
                trying = at;
            }
            else if (connected is null && text.StartsWith("* Connected to", StringComparison.Ordinal))
            {
                connected = at;
            }
            else if (firstByte is null && text.StartsWith("< HTTP/", StringComparison.Ordinal))
            {
                firstByte = at;
                status = text[2..].TrimEnd('\r');
            }
        }

        return new HttpExchange(startedAt, trying, connected, firstByte, status, body, exitCode, trace);
    }

    [GeneratedRegex(@"^(\d\d:\d\d:\d\d\.\d{6}) (.*)$")]
    private static partial Regex TraceLine();
}
