using System.Globalization;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// A real OVN stack in a private directory, as docs/ovn-facts.md ("Running OVN in the lab") describes: Northbound and
/// Southbound ovsdb-servers, ovn-northd, and chassis hv1..hvN. It stops exactly the processes it
/// started, also when start-up fails half way.
/// </summary>
public sealed partial class OvnLab : IAsyncDisposable
{
    private const int WaitSeconds = 25;
    private readonly OvnLabOptions options;
    private readonly LabDirectory directory;
    private readonly CommandRunner runner;
    private readonly List<LabChassis> chassis = [];
    private OvsdbServer? northbound;
    private OvsdbServer? southbound;
    private DaemonProcess? northd;
    private int disposed;

    private OvnLab(OvnLabOptions options)
    {
        this.options = options;
        directory = LabDirectory.Create(options.DirectoryPrefix);
        directory.KeepOnDispose = options.KeepDirectory;
        runner = new CommandRunner(directory.Path);
    }

    public string Directory => directory.Path;

    public OvsdbServer Northbound => northbound ?? throw new InvalidOperationException("the lab is not started");

    public OvsdbServer Southbound => southbound ?? throw new InvalidOperationException("the lab is not started");

    public string NorthboundRemote => Northbound.UnixRemote;

    public string SouthboundRemote => Southbound.UnixRemote;

    /// <summary>tcp:127.0.0.1:PORT when <see cref="OvnLabOptions.SouthboundTcp"/> is set, else null.</summary>
    public string? SouthboundTcpRemote => Southbound.TcpPort is null ? null : Southbound.TcpRemote;

    public IReadOnlyList<LabChassis> Chassis => chassis;

    public int? NorthdPid => northd?.Pid;

    /// <summary>The pids of every daemon the lab started, as last started (a stopped one keeps its entry).</summary>
    public IReadOnlyList<int> Pids =>
        new[] { northbound?.Pid, southbound?.Pid, northd?.Pid }.OfType<int>().Concat(chassis.SelectMany(member => member.Pids)).ToArray();

    public static async Task<OvnLab> StartAsync(OvnLabOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OvnLabOptions();
        options.Validate();
        var lab = new OvnLab(options);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.StartTimeout);
            await lab.StartCoreAsync(deadline.Token).ConfigureAwait(false);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs ovn-nbctl against this lab's Northbound; returns its output without the final newline.</summary>
    public Task<string> NbctlAsync(params string[] arguments) => NbctlAsync(arguments, CancellationToken.None);

    public Task<string> NbctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunCtlAsync("ovn-nbctl", NorthboundRemote, arguments, cancellationToken);

    /// <summary>Runs ovn-sbctl against this lab's Southbound; returns its output without the final newline.</summary>
    public Task<string> SbctlAsync(params string[] arguments) => SbctlAsync(arguments, CancellationToken.None);

    public Task<string> SbctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunCtlAsync("ovn-sbctl", SouthboundRemote, arguments, cancellationToken);

    /// <summary>Stops the chassis, ovn-northd, then the databases; every daemon is tried even if one fails.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        var failures = new List<Exception>();
        var chassisStops = chassis.Select(member => member.StopAsync()).ToArray();
        await StopAllAsync(failures, () => Task.WhenAll(chassisStops)).ConfigureAwait(false);
        await StopAllAsync(failures, () => northd?.StopAsync(TimeSpan.FromSeconds(5)) ?? Task.CompletedTask).ConfigureAwait(false);
        await StopAllAsync(failures, () => southbound?.StopAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        await StopAllAsync(failures, () => northbound?.StopAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        KillUntrackedDaemons();
        directory.Dispose();
        if (failures.Count > 0)
        {
            throw new AggregateException("stopping the OVN lab failed", failures);
        }
    }

    private static async Task StopAllAsync(List<Exception> failures, Func<Task> stop)
    {
        var task = stop();
        try
        {
            await task.ConfigureAwait(false);
        }
        catch when (task.Exception is not null)
        {
            // Task.WhenAll rethrows only the first; keep them all.
            failures.AddRange(task.Exception.InnerExceptions);
        }
    }

    /// <summary>
    /// A start cut off by the deadline kills the "--detach" parent, but the daemon
    /// child may already run without its pid having been read. Its pidfile is in the lab
    /// directory: kill that pid if its command line names this directory (so a reused pid is safe).
    /// </summary>
    private void KillUntrackedDaemons()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        foreach (var pidFile in System.IO.Directory.EnumerateFiles(Directory, "*.pid", SearchOption.AllDirectories))
        {
            try
            {
                if (int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && File.ReadAllText($"/proc/{pid}/cmdline").Contains(Directory, StringComparison.Ordinal))
                {
                    PosixSignal.Send(pid, PosixSignal.Kill);
                }
            }
            catch (IOException)
            {
                // Gone already, or the pidfile went with its daemon.
            }
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        // The two databases, then the chassis and ovn-northd, each group in parallel: they only
        // meet through sockets, and every daemon reconnects until its peer is there.
        var northboundStart = OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = Directory, Name = "nb", SchemaPath = OvnSchemas.Northbound }, cancellationToken);
        var southboundStart = OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = Directory, Name = "sb", SchemaPath = OvnSchemas.Southbound, TcpPort = options.SouthboundTcp ? 0 : null },
            cancellationToken);
        try
        {
            await Task.WhenAll(northboundStart, southboundStart).ConfigureAwait(false);
        }
        finally
        {
            northbound = northboundStart.IsCompletedSuccessfully ? northboundStart.Result : null;
            southbound = southboundStart.IsCompletedSuccessfully ? southboundStart.Result : null;
        }

        await Task.WhenAll(
            NbctlAsync(["init"], cancellationToken),
            SbctlAsync(["init"], cancellationToken)).ConfigureAwait(false);

        var starts = new List<Task> { StartNorthdAsync(cancellationToken) };
        for (var number = 1; number <= options.Chassis; number++)
        {
            var member = new LabChassis(
                Combine(string.Create(CultureInfo.InvariantCulture, $"hv{number}")), number, NorthboundRemote, SouthboundRemote);
            chassis.Add(member);
            starts.Add(member.StartAsync(cancellationToken));
        }

        await Task.WhenAll(starts).ConfigureAwait(false);
        if (chassis.Count > 0)
        {
            // A chassis counts for --wait=hv only once its Chassis_Private row exists.
            var waits = new List<string> { TimeoutOption };
            foreach (var member in chassis)
            {
                waits.AddRange(["wait-until", "Chassis_Private", member.Name, "--"]);
            }

            await SbctlAsync(waits[..^1], cancellationToken).ConfigureAwait(false);
            await WaitForHypervisorSyncAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StartNorthdAsync(CancellationToken cancellationToken) =>
        northd = await DaemonProcess.StartAsync(
            runner, "ovn-northd", "ovn-northd",
            [
                $"--log-file={Combine("northd.log")}", $"--unixctl={Combine("northd.ctl")}",
                $"--ovnnb-db={NorthboundRemote}", $"--ovnsb-db={SouthboundRemote}", .. options.NorthdArguments,
            ],
            Combine("northd.pid"), cancellationToken).ConfigureAwait(false);

    private async Task<string> RunCtlAsync(string tool, string remote, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var output = await runner.RunAsync(tool, new[] { $"--db={remote}" }.Concat(arguments), cancellationToken).ConfigureAwait(false);
        return output.TrimEnd('\n');
    }

    private string Combine(string name) => directory.Combine(name);

    private static string TimeoutOption => string.Create(CultureInfo.InvariantCulture, $"--timeout={WaitSeconds}");
}
