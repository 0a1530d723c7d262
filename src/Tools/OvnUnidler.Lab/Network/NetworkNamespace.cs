using System.Net.Sockets;
using System.Runtime.InteropServices;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// A named network namespace (ip-netns(8): a bind mount under /run/netns). Deleting it first
/// kills the processes still inside, which only a namespace the lab made can hold.
/// </summary>
public sealed partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;
    private readonly CommandRunner runner;

    private NetworkNamespace(string name, CommandRunner runner)
    {
        Name = name;
        this.runner = runner;
    }

    public string Name { get; }

    /// <summary>Arguments that run a command inside: <c>ip netns exec NAME</c>.</summary>
    public IReadOnlyList<string> ExecPrefix => ["netns", "exec", Name];

    public static async Task<NetworkNamespace> CreateAsync(CommandRunner runner, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        await runner.RunAsync("ip", ["netns", "add", name], cancellationToken).ConfigureAwait(false);
        var created = new NetworkNamespace(name, runner);
        await created.IpAsync(["link", "set", "lo", "up"], cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary><c>ip -n NAME ...</c></summary>
    public Task<string> IpAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync("ip", new[] { "-n", Name }.Concat(arguments), cancellationToken);

    /// <summary>Runs a command inside the namespace and returns its output.</summary>
    public Task<string> ExecAsync(string executable, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync("ip", ExecPrefix.Append(ExecutableLocator.Find(executable)).Concat(arguments), cancellationToken);

    public Task DeleteAsync(CancellationToken cancellationToken = default) => DeleteAsync(runner, Name, cancellationToken);

    public static async Task DeleteAsync(CommandRunner runner, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var pids = await runner.TryRunAsync("ip", ["netns", "pids", name], CommandRunner.DefaultTimeout, cancellationToken).ConfigureAwait(false);
        foreach (var line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, out var pid))
            {
                Processes.PosixSignal.Send(pid, Processes.PosixSignal.Kill);
            }
        }

        var result = await runner.TryRunAsync("ip", ["netns", "del", name], CommandRunner.DefaultTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 && File.Exists(Path.Combine("/run/netns", name)))
        {
            throw new LabCommandException($"ip netns del {name}", result.ExitCode, result.StandardError);
        }
    }

    public static IReadOnlyList<string> List() =>
        System.IO.Directory.Exists("/run/netns") ? [.. System.IO.Directory.EnumerateFiles("/run/netns").Select(Path.GetFileName).OfType<string>()] : [];

    /// <summary>
    /// A socket that lives in this namespace, as if a process inside had opened it: the calling
    /// thread enters the namespace (setns(2)), creates the socket and returns to its own before
    /// anything else can run on it. A socket stays in the namespace it was created in.
    /// </summary>
    public Socket CreateSocket(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        using var target = File.OpenHandle(Path.Combine("/run/netns", Name));
        using var home = File.OpenHandle("/proc/thread-self/ns/net");
        if (SetNamespace((int)target.DangerousGetHandle(), CloneNewNet) != 0)
        {
            throw new InvalidOperationException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            return new Socket(family, type, protocol);
        }
        finally
        {
            if (SetNamespace((int)home.DangerousGetHandle(), CloneNewNet) != 0)
            {
                // A pool thread left in a pod's namespace would send the process' later traffic there.
                Environment.FailFast($"could not return from network namespace {Name}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    public override string ToString() => Name;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int type);
}
