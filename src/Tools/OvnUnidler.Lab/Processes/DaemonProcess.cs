using System.Globalization;

namespace OvnUnidler.Lab.Processes;

/// <summary>
/// One OVS or OVN daemon started with <c>--detach --pidfile</c>. The lab owns exactly the
/// processes it started: it stops them by the pid it read from their pidfile, never by name.
/// </summary>
public sealed class DaemonProcess
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private DaemonProcess(string name, string executable, int pid, string pidFile)
    {
        Name = name;
        Executable = executable;
        Pid = pid;
        PidFile = pidFile;
    }

    public string Name { get; }

    public string Executable { get; }

    public int Pid { get; }

    public string PidFile { get; }

    /// <summary>
    /// Alive and not a zombie: a stopped daemon may linger as a zombie for seconds before the
    /// init process reaps it (docs/ovn-facts.md), and waiting for kill -0 to fail would wait that long.
    /// </summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{Pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                return state is not ("Z" or "X" or "x");
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>Runs a daemon that detaches itself; returns once its pidfile names a live process.</summary>
    public static Task<DaemonProcess> StartAsync(
        CommandRunner runner, string name, string executable, IReadOnlyList<string> arguments, string pidFile,
        CancellationToken cancellationToken = default) =>
        StartAsync(runner, name, executable, arguments, pidFile, launcher: null, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(CommandRunner, string, string, IReadOnlyList{string}, string, CancellationToken)"/>,
    /// started through <paramref name="launcher"/> (e.g. <c>ip netns exec NAME</c>), which execs the daemon.
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(
        CommandRunner runner, string name, string executable, IReadOnlyList<string> arguments, string pidFile,
        (string Executable, IReadOnlyList<string> Arguments)? launcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        File.Delete(pidFile);
        string[] detachArguments = ["--detach", "--no-chdir", $"--pidfile={pidFile}"];
        if (launcher is { } via)
        {
            await runner.RunAsync(via.Executable, via.Arguments.Append(ExecutableLocator.Find(executable)).Concat(detachArguments).Concat(arguments), cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            await runner.RunAsync(executable, detachArguments.Concat(arguments), cancellationToken).ConfigureAwait(false);
        }

        var pid = int.Parse((await File.ReadAllTextAsync(pidFile, cancellationToken).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture);
        var daemon = new DaemonProcess(name, executable, pid, pidFile);
        DaemonRegistry.Add(daemon);
        return daemon;
    }

    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (IsRunning && PosixSignal.Send(Pid, PosixSignal.Terminate)
            && await WaitForExitAsync(grace, cancellationToken).ConfigureAwait(false))
        {
            DaemonRegistry.Remove(this);
            return;
        }

        await KillAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGKILL, as a crash: the daemon gets no chance to clean up.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            PosixSignal.Send(Pid, PosixSignal.Kill);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException($"{Name} (pid {Pid}) survived SIGKILL for 10 s");
            }
        }

        DaemonRegistry.Remove(this);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsRunning)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Last resort when the owning process exits without stopping the lab.</summary>
    internal void KillNow()
    {
        if (IsRunning)
        {
            PosixSignal.Send(Pid, PosixSignal.Kill);
        }
    }

    public override string ToString() => $"{Name} (pid {Pid})";
}
