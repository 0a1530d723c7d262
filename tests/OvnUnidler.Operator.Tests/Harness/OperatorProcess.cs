using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>
/// The operator as a separate process (the published entry point, `ovn-unidler run`), configured
/// by environment variables as in a pod, so that a test can SIGKILL it at any point.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private OperatorProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>
    /// The operator's own build output (tests/X/bin/CONFIG/TFM -> src/OvnUnidler.Operator/bin/CONFIG/TFM):
    /// this test's directory also holds ASP.NET Core assemblies from the API double, which the
    /// operator's runtimeconfig does not load.
    /// </summary>
    internal static string EntryAssembly
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = output.Parent!.Name;
            var repository = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            var path = Path.Combine(repository, "src", "OvnUnidler.Operator", "bin", configuration, output.Name, "ovn-unidler.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build the operator first: {path} is missing", path);
        }
    }

    /// <summary>The last lines the process wrote, for a failing test's message.</summary>
    public string RecentOutput => string.Join('\n', output);

    public static OperatorProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var port = environment.TryGetValue("Http__Port", out var configured)
            ? int.Parse(configured, CultureInfo.InvariantCulture)
            : FreeTcpPort.Pick();
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
        start.Environment["Logging__Console__FormatterName"] = "simple";
        return new OperatorProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port);
    }

    public async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the operator exited with {process.ExitCode}:\n{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/readyz"), TestContext.Current.CancellationToken);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the operator process to be ready", TimeSpan.FromSeconds(30));
    }

    /// <summary>The exit code of a process expected to stop by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"the operator did not exit within {timeout}; its recent output:\n{RecentOutput}", exception);
        }

        return process.ExitCode;
    }

    public bool HasExited => process.HasExited;

    /// <summary>When this process saw the operator exit (no earlier than the exit itself).</summary>
    public DateTimeOffset ExitTime => new(process.ExitTime);

    /// <summary>SIGTERM, as the kubelet stops a container: the operator shuts down gracefully.</summary>
    public void Terminate()
    {
        if (!PosixSignal.Send(process.Id, PosixSignal.Terminate))
        {
            throw new InvalidOperationException($"SIGTERM to {process.Id} failed");
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a node dies or the OOM killer strikes.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 2000)
        {
            output.TryDequeue(out _);
        }
    }
}
