using System.Diagnostics;
using System.Globalization;
using System.Net;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Benchmarks.Pipeline;

/// <summary>
/// The operator as it runs in a pod: its own process (`ovn-unidler run`), configured by
/// environment variables, so that its memory is measured alone (/proc/PID/status).
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly int port;
    private readonly StreamWriter? log;
    private readonly Stopwatch sinceStart = Stopwatch.StartNew();
    private readonly HttpClient metricsClient = new() { Timeout = TimeSpan.FromSeconds(5) };

    private OperatorProcess(Process process, int port, string? logFile)
    {
        this.process = process;
        this.port = port;
        if (logFile is not null)
        {
            log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        }

        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// With a log file the operator logs at Information and every line is written there, prefixed by
    /// milliseconds since the process was started (--operator-log: where a benchmark's time goes;
    /// the logging itself costs time, so figures from such a run are not the reported ones).
    /// </summary>
    public static OperatorProcess Start(IReadOnlyDictionary<string, string> environment, string? logFile = null)
    {
        var port = FreeTcpPort.Pick();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { EntryAssembly, "run" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(EntryAssembly)!,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["Http__Port"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["Http__Host"] = "127.0.0.1";
        start.Environment["Logging__LogLevel__Default"] = logFile is null ? "Warning" : "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        return new OperatorProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port, logFile);
    }

    /// <summary>SIGTERM, as the kubelet stops a container: the operator shuts down gracefully.</summary>
    public void Terminate()
    {
        if (!PosixSignal.Send(process.Id, PosixSignal.Terminate))
        {
            throw new InvalidOperationException($"SIGTERM to {process.Id} failed");
        }
    }

    /// <summary>The exit code of a process that was asked to stop.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Resident memory now, in bytes (VmRSS).</summary>
    public long ResidentBytes => ReadStatus("VmRSS:");

    /// <summary>The highest resident memory the process had so far, in bytes (VmHWM).</summary>
    public long PeakResidentBytes => ReadStatus("VmHWM:");

    /// <summary>CPU time the process used so far, user and system.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The value of one unlabelled sample on the operator's /metrics, or null while it is not exposed.</summary>
    public async Task<double?> ReadMetricAsync(string name, CancellationToken cancellationToken)
    {
        var text = await metricsClient.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cancellationToken).ConfigureAwait(false);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > name.Length && line.StartsWith(name, StringComparison.Ordinal) && line[name.Length] == ' ')
            {
                return double.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the operator exited with {process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"the operator was not ready within {timeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
        metricsClient.Dispose();
        if (log is not null)
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Keep(string? line)
    {
        if (line is not null && log is not null)
        {
            lock (log)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sinceStart.ElapsedMilliseconds,7} {line}"));
            }
        }
    }

    private long ReadStatus(string field)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(line => line.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The operator's build output (src/Tools/X/bin/CONFIG/TFM -> src/OvnUnidler.Operator/bin/CONFIG/TFM).</summary>
    private static string EntryAssembly
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName, "OvnUnidler.Operator", "bin", output.Parent.Name, output.Name, "ovn-unidler.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build the operator first: {path} is missing", path);
        }
    }
}
