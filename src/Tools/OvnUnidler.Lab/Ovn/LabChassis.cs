using System.Globalization;
using System.Net;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// One hypervisor: its own Open_vSwitch database, ovs-vswitchd on the dummy datapath and
/// ovn-controller, all in a directory of its own (ovs-vswitchd puts br-int.mgmt in OVS_RUNDIR,
/// where ovn-controller looks for it, so two chassis cannot share one).
/// </summary>
public sealed class LabChassis : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private const int WaitSeconds = 25;
    private readonly CommandRunner runner;
    private readonly string northboundRemote;
    private readonly string southboundRemote;
    private readonly UnixctlClient vswitchdControl;
    private OvsdbServer? database;
    private DaemonProcess? vswitchd;
    private DaemonProcess? controller;

    internal LabChassis(string directory, int number, string northboundRemote, string southboundRemote)
    {
        Directory = directory;
        Name = string.Create(CultureInfo.InvariantCulture, $"hv{number}");
        EncapIp = new IPAddress([127, 0, 0, checked((byte)number)]);
        this.northboundRemote = northboundRemote;
        this.southboundRemote = southboundRemote;
        runner = new CommandRunner(directory);
        vswitchdControl = new UnixctlClient(VswitchdControlSocket);
    }

    public string Name { get; }

    /// <summary>external_ids:system-id, which ovn-controller registers as the Chassis name.</summary>
    public string SystemId => Name;

    public IPAddress EncapIp { get; }

    public string Directory { get; }

    public OvsdbServer SwitchDatabase => database ?? throw new InvalidOperationException($"{Name} is not started");

    public string SwitchDatabaseRemote => $"unix:{Path.Combine(Directory, "conf.sock")}";

    public string VswitchdControlSocket => Path.Combine(Directory, "vswitchd.ctl");

    /// <summary>ovn-controller 23.03 takes no --unixctl; it names its socket after its pid in OVN_RUNDIR.</summary>
    public string? ControllerControlSocket => controller is { } running
        ? Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"ovn-controller.{running.Pid}.ctl"))
        : null;

    public bool IsControllerRunning => controller?.IsRunning ?? false;

    public int? ControllerPid => controller?.Pid;

    /// <summary>The pids of this chassis' daemons, as last started (a stopped one keeps its entry).</summary>
    public IReadOnlyList<int> Pids => new[] { database?.Pid, vswitchd?.Pid, controller?.Pid }.OfType<int>().ToArray();

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        database = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = Directory, Name = "conf", SchemaPath = OvnSchemas.Switch }, cancellationToken)
            .ConfigureAwait(false);

        // Configured before ovs-vswitchd starts, so br-int exists at its first reconfiguration
        // and ovn-controller finds the bridge at once (about 1 s saved, docs/ovn-facts.md).
        await VsctlAsync(
            [
                "--no-wait", "init",
                "--", "set", "Open_vSwitch", ".",
                $"external_ids:system-id={Name}",
                CtlSyntax.MapEntry("external_ids", "ovn-remote", southboundRemote),
                "external_ids:ovn-encap-type=geneve",
                $"external_ids:ovn-encap-ip={EncapIp}",
                "--", "--may-exist", "add-br", "br-int",
                "--", "set", "Bridge", "br-int", "fail-mode=secure", "other-config:disable-in-band=true",
            ],
            cancellationToken).ConfigureAwait(false);

        vswitchd = await DaemonProcess.StartAsync(
            runner, $"ovs-vswitchd {Name}", "ovs-vswitchd",
            [$"--log-file={Path.Combine(Directory, "vswitchd.log")}", $"--unixctl={VswitchdControlSocket}", "--enable-dummy=override", SwitchDatabaseRemote],
            Path.Combine(Directory, "vswitchd.pid"), cancellationToken).ConfigureAwait(false);
        await StartControllerAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds OVS interface vif{ofport} with external-ids:iface-id=<paramref name="logicalPort"/>
    /// and waits until the port is up: ovn-controller has claimed it and installed its flows
    /// (ovn-nb(5), Logical_Switch_Port up).
    /// </summary>
    public Task<LabBinding> BindPortAsync(string logicalPort, int ofport, CancellationToken cancellationToken = default) =>
        BindAsync(logicalPort, ofport, null, cancellationToken);

    /// <summary>As <see cref="BindPortAsync(string, int, CancellationToken)"/>, keeping the port's addresses for <see cref="LabPacket.To"/>.</summary>
    public Task<LabBinding> BindPortAsync(LabPort port, int ofport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        return BindAsync(port.Name, ofport, port, cancellationToken);
    }

    /// <summary>Injects one packet through ovs-vswitchd's control socket (netdev-dummy/receive).</summary>
    public async Task SendAsync(LabPacket packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(SendTimeout);
        await vswitchdControl.CallAsync("netdev-dummy/receive", [packet.Interface, packet.ToFlowString()], deadline.Token)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Stops ovn-controller (SIGTERM keeps its Chassis row, unlike <see cref="ExitControllerAsync"/>),
    /// starts it again, and returns once the new process has caught up with the Southbound.
    /// Starts it if it was not running.
    /// </summary>
    public async Task RestartControllerAsync(CancellationToken cancellationToken = default)
    {
        if (controller is not null)
        {
            await controller.StopAsync(StopGrace, cancellationToken).ConfigureAwait(false);
        }

        await StartControllerAsync(cancellationToken).ConfigureAwait(false);
        await WaitUntilSyncedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>ovn-appctl exit</c>: ovn-controller deletes its Chassis and Chassis_Private rows and
    /// exits, which leaves its Controller_Event rows with an empty chassis (docs/ovn-facts.md).
    /// </summary>
    public async Task ExitControllerAsync(CancellationToken cancellationToken = default)
    {
        if (controller is not { IsRunning: true } running)
        {
            return;
        }

        await ControllerAppctlAsync(["exit"], cancellationToken).ConfigureAwait(false);
        if (!await running.WaitForExitAsync(StopGrace, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"{running} did not exit within {StopGrace} after 'exit'");
        }

        // Already gone: this only forgets it, so the exit-time cleanup does not look for it.
        await running.KillAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns once this chassis' ovn-controller has installed the flows of the current
    /// Northbound: it reports an nb_cfg in Chassis_Private only after OpenFlow confirmed them
    /// (ovn-sb(5), Chassis_Private nb_cfg). nb_cfg is bumped first, so a value the previous
    /// process left behind does not count.
    /// </summary>
    public async Task WaitUntilSyncedAsync(CancellationToken cancellationToken = default)
    {
        await runner.RunAsync("ovn-nbctl", [$"--db={northboundRemote}", TimeoutOption, "--wait=sb", "sync"], cancellationToken).ConfigureAwait(false);
        var target = (await SbctlAsync(["get", "SB_Global", ".", "nb_cfg"], cancellationToken).ConfigureAwait(false)).Trim();
        await SbctlAsync([TimeoutOption, "wait-until", "Chassis_Private", Name, $"nb_cfg>={target}"], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The _uuid of this chassis' Chassis row (what Controller_Event.chassis refers to), or null when it has none.</summary>
    public async Task<string?> GetChassisUuidAsync(CancellationToken cancellationToken = default)
    {
        var output = await SbctlAsync(["--bare", "--columns=_uuid", "find", "Chassis", $"name={CtlSyntax.Quote(Name)}"], cancellationToken)
            .ConfigureAwait(false);
        var uuid = output.Trim();
        return uuid.Length == 0 ? null : uuid;
    }

    public Task<string> VsctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync("ovs-vsctl", new[] { $"--db={SwitchDatabaseRemote}" }.Concat(arguments), cancellationToken);

    public Task<string> ControllerAppctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var socket = ControllerControlSocket ?? throw new InvalidOperationException($"ovn-controller of {Name} is not started");
        return runner.RunAsync("ovn-appctl", new[] { "-t", socket }.Concat(arguments), cancellationToken);
    }

    /// <summary>Stops ovn-controller, ovs-vswitchd and the database, in that order; every one is tried.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await vswitchdControl.DisposeAsync().ConfigureAwait(false);
        var failures = new List<Exception>();
        foreach (var stop in new Func<Task>[]
        {
            () => controller?.StopAsync(StopGrace, cancellationToken) ?? Task.CompletedTask,
            () => vswitchd?.StopAsync(StopGrace, cancellationToken) ?? Task.CompletedTask,
            () => database?.StopAsync(cancellationToken) ?? Task.CompletedTask,
        })
        {
            try
            {
                await stop().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failures.Add(exception);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"stopping {Name} failed", failures);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    public override string ToString() => Name;

    private static string TimeoutOption => string.Create(CultureInfo.InvariantCulture, $"--timeout={WaitSeconds}");

    private async Task StartControllerAsync(CancellationToken cancellationToken) =>
        controller = await DaemonProcess.StartAsync(
            runner, $"ovn-controller {Name}", "ovn-controller",
            [$"--log-file={Path.Combine(Directory, "ovn-controller.log")}", SwitchDatabaseRemote],
            Path.Combine(Directory, "ovn-controller.pid"), cancellationToken).ConfigureAwait(false);

    private async Task<LabBinding> BindAsync(string logicalPort, int ofport, LabPort? port, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ofport, 1);
        var name = string.Create(CultureInfo.InvariantCulture, $"vif{ofport}");
        await VsctlAsync(
            [
                "add-port", "br-int", name,
                "--", "set", "Interface", name, CtlSyntax.MapEntry("external-ids", "iface-id", logicalPort),
                string.Create(CultureInfo.InvariantCulture, $"ofport-request={ofport}"),
            ],
            cancellationToken).ConfigureAwait(false);
        await runner.RunAsync(
            "ovn-nbctl", [$"--db={northboundRemote}", TimeoutOption, "wait-until", "Logical_Switch_Port", logicalPort, "up=true"], cancellationToken)
            .ConfigureAwait(false);
        return new LabBinding(Name, logicalPort, name, ofport, port);
    }

    private Task<string> SbctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync("ovn-sbctl", new[] { $"--db={southboundRemote}" }.Concat(arguments), cancellationToken);
}
