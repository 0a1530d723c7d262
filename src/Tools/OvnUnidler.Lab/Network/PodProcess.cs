using System.Collections.Concurrent;
using System.Diagnostics;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Network;

/// <summary>A program running inside a pod's network namespace (<c>ip netns exec</c> execs it, so the pid is the program's).</summary>
public sealed class PodProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly ConcurrentQueue<string> errors = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PodProcess(Process process, DateTime startedAt)
    {
        this.process = process;
        StartedAt = startedAt;
    }

    /// <summary>Wall-clock time (UTC) just before the process was started.</summary>
    public DateTime StartedAt { get; }

    public int Pid => process.Id;

    public IReadOnlyCollection<string> Output => output;

    public string StandardError => string.Join('\n', errors);

    public bool HasExited => exited.Task.IsCompleted;

    public int ExitCode => process.ExitCode;

    /// <summary>Raised for each line the program writes to standard output.</summary>
    public event Action<string>? Line;

    /// <summary>Raised for each line the program writes to standard error.</summary>
    public event Action<string>? ErrorLine;

    internal static PodProcess Start(NetworkNamespace space, string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(ExecutableLocator.Find("ip"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in space.ExecPrefix.Append(ExecutableLocator.Find(executable)).Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var startedAt = DateTime.UtcNow;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new PodProcess(process, startedAt);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                started.output.Enqueue(text);
                started.Line?.Invoke(text);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                started.errors.Enqueue(text);
                started.ErrorLine?.Invoke(text);
            }
        };
        process.Exited += (_, _) => started.exited.TrySetResult();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        // Exited fires before the redirected streams are drained; this waits for both.
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
