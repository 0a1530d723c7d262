using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Cluster;

/// <summary>
/// The operator as its own process on this host (`ovn-unidler run`, <see cref="OperatorBuild"/>),
/// configured by environment variables as a pod's container is, its HTTP endpoint on 127.0.0.1:
/// for tests that SIGTERM or SIGKILL it at any point and benchmarks that measure its memory alone
/// (/proc/PID/status). <see cref="LabOperator"/> runs it inside an operator pod instead.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private const int KeptLines = 2000;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly StreamWriter? log;
    private readonly Stopwatch sinceStart = Stopwatch.StartNew();
    private readonly HttpClient metricsClient = new() { Timeout = TimeSpan.FromSeconds(5) };

    private OperatorProcess(Process process, int port, string? logFile)
    {
        this.process = process;
        Port = port;
        if (logFile is not null)
        {
            log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        }

        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The HTTP endpoint's port on 127.0.0.1 (/healthz, /readyz, /metrics).</summary>
    public int Port { get; }

    /// <summary>The last lines the process wrote, standard output and error as they came, for a failure's message.</summary>
    public string RecentOutput => string.Join('\n', output);

    public bool HasExited => process.HasExited;

    /// <summary>When this process saw the operator exit (no earlier than the exit itself).</summary>
    public DateTimeOffset ExitTime => new(process.ExitTime);

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

    /// <summary>
    /// Starts the operator with <paramref name="environment"/> ("Unidler__Mode", ...); its HTTP
    /// endpoint listens on 127.0.0.1 at the environment's Http__Port, else on a free port. With
    /// <paramref name="logFile"/> the operator logs at Information and every line is written there,
    /// prefixed by milliseconds since the start (where a benchmark's time goes; the logging itself
    /// costs time, so figures from such a run are not the reported ones).
    /// </summary>
    public static OperatorProcess Start(IReadOnlyDictionary<string, string> environment, string? logFile = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var port = environment.TryGetValue("Http__Port", out var configured)
            ? int.Parse(configured, CultureInfo.InvariantCulture)
            : FreeTcpPort.Pick();
        var entryAssembly = OperatorBuild.EntryAssembly;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { entryAssembly, "run" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(entryAssembly)!,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["Http__Port"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["Http__Host"] = "127.0.0.1";
        if (logFile is not null)
        {
            start.Environment["Logging__LogLevel__Default"] = "Information";
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        return new OperatorProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port, logFile);
    }

    /// <summary>Returns once /readyz answers 200; throws if the process exits first or <paramref name="timeout"/> passes.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        OperatorReadiness.WaitAsync(
            new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/readyz")),
            "the operator",
            () => process.HasExited ? $"exited with {process.ExitCode}" : null,
            () => RecentOutput,
            timeout,
            cancellationToken);

    /// <summary>The exit code of a process that stops by itself or was asked to stop.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"the operator did not exit within {timeout}; its recent output:\n{RecentOutput}", exception);
        }

        return process.ExitCode;
    }

    /// <summary>SIGTERM, as the kubelet stops a container: the operator shuts down gracefully.</summary>
    public void Terminate()
    {
        if (!PosixSignal.Send(process.Id, PosixSignal.Terminate))
        {
            throw new InvalidOperationException($"SIGTERM to {process.Id} failed");
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a node dies or the OOM killer strikes. Returns once the process is gone.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The value of one unlabelled sample on the operator's /metrics, or null while it is not exposed.</summary>
    public async Task<double?> ReadMetricAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = await metricsClient.GetStringAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/metrics")), cancellationToken)
            .ConfigureAwait(false);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > name.Length && line.StartsWith(name, StringComparison.Ordinal) && line[name.Length] == ' ')
            {
                return double.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        process.Dispose();
        metricsClient.Dispose();
        if (log is not null)
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > KeptLines)
        {
            output.TryDequeue(out _);
        }

        if (log is not null)
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
}
