using System.Globalization;
using System.Text.RegularExpressions;
using OvnUnidler.Lab.Network;

namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// The lab's HTTP client is curl (Debian's), run in a client pod. Its verbose trace with
/// --trace-time stamps every line: "Trying" just before connect(2) sends the first SYN,
/// "Connected to" once the handshake is done, "&lt; HTTP/1.1" when the response begins. The kernel
/// retransmits the SYN on its own schedule (net.ipv4.tcp_syn_linear_timeouts). curl takes those
/// stamps from its monotonic clock plus an offset to the wall clock counted in whole seconds, so
/// they are exact relative to each other but up to a second off in absolute terms: the lab puts
/// the first line at the wall-clock time taken just before curl was started, which places every
/// line early by curl's own start-up (10-15 ms here, seen against tcpdump's SYN).
/// </summary>
public static partial class CurlClient
{
    /// <summary>
    /// curl for <paramref name="url"/>, ending after <paramref name="maxTime"/>; with
    /// <paramref name="connectTimeout"/> it gives up connecting after that long (--connect-timeout,
    /// exit code 28), as a client that its own timeout fails before a slow pod is ready.
    /// </summary>
    public static PodProcess Start(LabPod client, Uri url, TimeSpan maxTime, TimeSpan? connectTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        var arguments = new List<string> { "-sS", "-v", "--trace-time", "-g", "--max-time", Seconds(maxTime) };
        if (connectTimeout is { } limit)
        {
            arguments.AddRange(["--connect-timeout", Seconds(limit)]);
        }

        arguments.Add(url.ToString());
        return client.Start("curl", arguments, new Dictionary<string, string>(StringComparer.Ordinal) { ["TZ"] = "UTC" });
    }

    public static async Task<HttpExchange> RequestAsync(LabPod client, Uri url, TimeSpan maxTime, CancellationToken cancellationToken, TimeSpan? connectTimeout = null)
    {
        using var process = Start(client, url, maxTime, connectTimeout);
        var exit = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return Parse(process.StartedAt, exit, string.Join('\n', process.Output), process.StandardError);
    }

    /// <summary>One request from each of <paramref name="clients"/> (a pod may appear more than once: each request is its own curl and connection), all started at once.</summary>
    public static Task<HttpExchange[]> RequestConcurrentlyAsync(
        IEnumerable<LabPod> clients, Uri url, TimeSpan maxTime, CancellationToken cancellationToken, TimeSpan? connectTimeout = null) =>
        Task.WhenAll(clients.Select(client => RequestAsync(client, url, maxTime, cancellationToken, connectTimeout)));

    /// <summary>
    /// Downloads <paramref name="url"/> (e.g. a pod server's /bytes/N) to /dev/null and returns what
    /// curl measured: bytes received, average speed and the transfer's phases (-w variables).
    /// </summary>
    public static async Task<BulkDownload> DownloadAsync(LabPod client, Uri url, TimeSpan maxTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        using var process = client.Start("curl",
        [
            "-sS", "-g", "-o", "/dev/null", "--max-time", Seconds(maxTime),
            "-w", "%{http_code} %{size_download} %{speed_download} %{time_connect} %{time_starttransfer} %{time_total}", url.ToString(),
        ]);
        var exit = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return BulkDownload.Parse(exit, string.Concat(process.Output), process.StandardError);
    }

    public static HttpExchange Parse(DateTime startedAt, int exitCode, string body, string trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        DateTime? trying = null, connected = null, firstByte = null;
        string? status = null;
        TimeSpan? first = null;
        foreach (var line in trace.Split('\n'))
        {
            var match = TraceLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var stamp = TimeSpan.ParseExact(match.Groups[1].Value, @"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture);
            first ??= stamp;
            var since = stamp - first.Value;
            // Past midnight the stamps start again at 00:00.
            var at = startedAt + (since < TimeSpan.Zero ? since + TimeSpan.FromDays(1) : since);

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

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d\d:\d\d:\d\d\.\d{6}) (.*)$")]
    private static partial Regex TraceLine();
}
