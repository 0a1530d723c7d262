using System.Globalization;
using System.Net;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// A node of the real-traffic lab: its Open_vSwitch database and ovn-controller, and
/// ovs-vswitchd on the userspace (netdev) datapath inside the node's own network namespace,
/// where its tap devices, the pods' veth ends and the tunnel address live (docs/ovn-facts.md,
/// "Real traffic on the userspace datapath").
/// </summary>
public sealed class NetdevChassis
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly CommandRunner runner;
    private OvsdbServer? database;
    private DaemonProcess? vswitchd;
    private DaemonProcess? controller;

    internal NetdevChassis(string directory, int number, int zone, NetworkNamespace space)
    {
        Directory = directory;
        Number = number;
        Zone = zone;
        Namespace = space;
        Name = string.Create(CultureInfo.InvariantCulture, $"node{number}");
        runner = new CommandRunner(directory);
    }

    /// <summary>The node's name: its Chassis name (system-id), logical switch and Kubernetes node name.</summary>
    public string Name { get; }

    public int Number { get; }

    /// <summary>1-based zone (availability zone of OVN interconnect) the node belongs to.</summary>
    public int Zone { get; }

    public string Directory { get; }

    public NetworkNamespace Namespace { get; }

    public IPAddress? EncapIp { get; private set; }

    public string SwitchDatabaseRemote => $"unix:{Path.Combine(Directory, "conf.sock")}";

    public string VswitchdControlSocket => Path.Combine(Directory, "vswitchd.ctl");

    /// <summary>ovn-controller 23.03 takes no --unixctl: its socket is "ovn-controller.PID.ctl" in its run directory, the node's.</summary>
    public string ControllerControlSocket => Path.Combine(
        Directory, string.Create(CultureInfo.InvariantCulture, $"ovn-controller.{controller?.Pid ?? throw new InvalidOperationException($"{Name} is not started")}.ctl"));

    public IReadOnlyList<int> Pids => new[] { database?.Pid, vswitchd?.Pid, controller?.Pid }.OfType<int>().ToArray();

    internal async Task StartAsync(string southboundRemote, IPAddress encapIp, CancellationToken cancellationToken)
    {
        EncapIp = encapIp;
        System.IO.Directory.CreateDirectory(Directory);
        database = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = Directory, Name = "conf", SchemaPath = OvnSchemas.Switch }, cancellationToken).ConfigureAwait(false);
        // br-int exists before ovs-vswitchd starts, so its first reconfiguration builds the datapath.
        await VsctlAsync(
            [
                "--no-wait", "init",
                "--", "set", "Open_vSwitch", ".",
                $"external_ids:system-id={Name}",
                Ovn.CtlSyntax.MapEntry("external_ids", "ovn-remote", southboundRemote),
                "external_ids:ovn-encap-type=geneve",
                $"external_ids:ovn-encap-ip={encapIp}",
                "external_ids:ovn-bridge=br-int",
                "--", "add-br", "br-int",
                "--", "set", "Bridge", "br-int", "datapath_type=netdev", "fail-mode=secure", "other-config:disable-in-band=true",
            ],
            cancellationToken).ConfigureAwait(false);
        vswitchd = await DaemonProcess.StartAsync(
            runner, $"ovs-vswitchd {Name}", "ovs-vswitchd",
            [$"--log-file={Path.Combine(Directory, "vswitchd.log")}", $"--unixctl={VswitchdControlSocket}", SwitchDatabaseRemote],
            Path.Combine(Directory, "vswitchd.pid"), ("ip", Namespace.ExecPrefix), cancellationToken).ConfigureAwait(false);
        controller = await DaemonProcess.StartAsync(
            runner, $"ovn-controller {Name}", "ovn-controller",
            [$"--log-file={Path.Combine(Directory, "ovn-controller.log")}", SwitchDatabaseRemote],
            Path.Combine(Directory, "ovn-controller.pid"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Userspace tunnelling sends geneve from the address of a netdev bridge: br-phy holds the
    /// underlay link, and the tunnel address goes on br-phy's tap (docs/ovn-facts.md).
    /// </summary>
    internal async Task AttachUnderlayAsync(string link, IPAddress encapIp, int prefixLength, CancellationToken cancellationToken)
    {
        // Without --no-wait: returns once ovs-vswitchd has made br-phy's tap, which the address needs.
        await VsctlAsync(["add-br", "br-phy", "--", "set", "Bridge", "br-phy", "datapath_type=netdev", "--", "add-port", "br-phy", link], cancellationToken)
            .ConfigureAwait(false);
        await Namespace.IpAsync(["addr", "add", string.Create(CultureInfo.InvariantCulture, $"{encapIp}/{prefixLength}"), "dev", "br-phy"], cancellationToken)
            .ConfigureAwait(false);
        await Namespace.IpAsync(["link", "set", "br-phy", "up"], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// ovn-controller(8) <c>recompute</c>: rebuilds every flow from the Southbound as it is now.
    /// The lab needs it once after ovn-ic settles the transit switch's tunnel keys (docs/ovn-facts.md).
    /// </summary>
    internal Task<string> RecomputeAsync(CancellationToken cancellationToken) =>
        runner.RunAsync("ovn-appctl", ["-t", ControllerControlSocket, "recompute"], cancellationToken);

    /// <summary>The userspace datapath's conntrack entries, one a line (ovs-appctl dpctl/dump-conntrack, ovs-vswitchd(8)).</summary>
    public async Task<IReadOnlyList<string>> DumpConntrackAsync(CancellationToken cancellationToken) =>
        (await runner.RunAsync("ovs-appctl", ["-t", VswitchdControlSocket, "dpctl/dump-conntrack"], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public Task<string> VsctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync("ovs-vsctl", new[] { $"--db={SwitchDatabaseRemote}" }.Concat(arguments), cancellationToken);

    /// <summary>
    /// Stops ovn-controller, then ovs-vswitchd with <c>exit --cleanup</c>, which removes the
    /// datapath's taps (a plain kill leaves them), then the database; every step is tried.
    /// </summary>
    internal async Task StopAsync(List<Exception> failures)
    {
        foreach (var stop in new Func<Task>[]
        {
            () => controller?.StopAsync(StopGrace) ?? Task.CompletedTask,
            async () =>
            {
                if (vswitchd is { IsRunning: true } running)
                {
                    await runner.TryRunAsync("ovs-appctl", ["-t", VswitchdControlSocket, "exit", "--cleanup"], StopGrace).ConfigureAwait(false);
                    await running.StopAsync(StopGrace).ConfigureAwait(false);
                }
            },
            () => database?.StopAsync() ?? Task.CompletedTask,
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
    }

    public override string ToString() => Name;
}
