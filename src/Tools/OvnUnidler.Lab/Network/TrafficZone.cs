using System.Globalization;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// One OVN deployment of the lab: its Northbound and Southbound, ovn-northd, the cluster
/// router, and its nodes. With several zones each also runs ovn-ic against the shared
/// interconnect databases, as every node of ovn-kubernetes' interconnect mode is its own zone.
/// </summary>
public sealed class TrafficZone
{
    private const int WaitSeconds = 25;

    // ovn-ic's copies between zones pass through four databases and two ovn-ic processes, which a
    // loaded machine starves first: once in a full test run beside other labs 25 s were not enough.
    // wait-until returns as soon as the row is there, so the longer bound costs nothing otherwise.
    private const int InterconnectWaitSeconds = 120;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly CommandRunner runner;
    private readonly List<NetdevChassis> nodes = [];
    private OvsdbServer? northbound;
    private OvsdbServer? southbound;
    private DaemonProcess? northd;
    private DaemonProcess? interconnect;

    internal TrafficZone(string directory, int number)
    {
        Directory = directory;
        Number = number;
        Name = string.Create(CultureInfo.InvariantCulture, $"az{number}");
        runner = new CommandRunner(directory);
    }

    /// <summary>az1, az2, ...: NB_Global name, which ovn-ic uses as the availability zone's name.</summary>
    public string Name { get; }

    public int Number { get; }

    public string Directory { get; }

    public IReadOnlyList<NetdevChassis> Nodes => nodes;

    public string NorthboundRemote => Northbound.UnixRemote;

    public string SouthboundRemote => Southbound.UnixRemote;

    public OvsdbServer Northbound => northbound ?? throw new InvalidOperationException($"{Name} is not started");

    public OvsdbServer Southbound => southbound ?? throw new InvalidOperationException($"{Name} is not started");

    public IReadOnlyList<int> Pids =>
        new[] { northbound?.Pid, southbound?.Pid, northd?.Pid, interconnect?.Pid }.OfType<int>().Concat(nodes.SelectMany(node => node.Pids)).ToArray();

    internal static string TimeoutOption => string.Create(CultureInfo.InvariantCulture, $"--timeout={WaitSeconds}");

    internal static string InterconnectTimeoutOption => string.Create(CultureInfo.InvariantCulture, $"--timeout={InterconnectWaitSeconds}");

    internal void Add(NetdevChassis node) => nodes.Add(node);

    internal async Task StartDatabasesAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var nb = OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = Directory, Name = "nb", SchemaPath = OvnSchemas.Northbound }, cancellationToken);
        var sb = OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = Directory, Name = "sb", SchemaPath = OvnSchemas.Southbound }, cancellationToken);
        try
        {
            await Task.WhenAll(nb, sb).ConfigureAwait(false);
        }
        finally
        {
            northbound = nb.IsCompletedSuccessfully ? nb.Result : null;
            southbound = sb.IsCompletedSuccessfully ? sb.Result : null;
        }

        await Task.WhenAll(NbctlAsync(["init"], cancellationToken), SbctlAsync(["init"], cancellationToken)).ConfigureAwait(false);
        northd = await DaemonProcess.StartAsync(
            runner, $"ovn-northd {Name}", "ovn-northd",
            [$"--log-file={Path.Combine(Directory, "northd.log")}", $"--unixctl={Path.Combine(Directory, "northd.ctl")}", $"--ovnnb-db={NorthboundRemote}", $"--ovnsb-db={SouthboundRemote}"],
            Path.Combine(Directory, "northd.pid"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>ovn-ic(8): advertises this zone's routes into the interconnect databases and learns the others'.</summary>
    internal async Task StartInterconnectAsync(string icNorthboundRemote, string icSouthboundRemote, CancellationToken cancellationToken)
    {
        await NbctlAsync(["set", "NB_Global", ".", $"name={Name}", "options:ic-route-adv=true", "options:ic-route-learn=true"], cancellationToken)
            .ConfigureAwait(false);
        interconnect = await DaemonProcess.StartAsync(
            runner, $"ovn-ic {Name}", "ovn-ic",
            [
                $"--log-file={Path.Combine(Directory, "ic.log")}", $"--unixctl={Path.Combine(Directory, "ic.ctl")}",
                $"--ovnnb-db={NorthboundRemote}", $"--ovnsb-db={SouthboundRemote}", $"--ic-nb-db={icNorthboundRemote}", $"--ic-sb-db={icSouthboundRemote}",
            ],
            Path.Combine(Directory, "ic.pid"), cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> NbctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        (await runner.RunAsync("ovn-nbctl", new[] { $"--db={NorthboundRemote}" }.Concat(arguments), cancellationToken).ConfigureAwait(false)).TrimEnd('\n');

    public async Task<string> SbctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        (await runner.RunAsync("ovn-sbctl", new[] { $"--db={SouthboundRemote}" }.Concat(arguments), cancellationToken).ConfigureAwait(false)).TrimEnd('\n');

    /// <summary><c>ovn-nbctl --wait=hv sync</c>: every node of this zone has installed the flows of the Northbound as it is now.</summary>
    public Task WaitForHypervisorSyncAsync(CancellationToken cancellationToken = default) =>
        NbctlAsync([TimeoutOption, "--wait=hv", "sync"], cancellationToken);

    internal async Task StopAsync(List<Exception> failures)
    {
        foreach (var node in nodes)
        {
            await node.StopAsync(failures).ConfigureAwait(false);
        }

        foreach (var stop in new Func<Task>[]
        {
            () => interconnect?.StopAsync(StopGrace) ?? Task.CompletedTask,
            () => northd?.StopAsync(StopGrace) ?? Task.CompletedTask,
            () => southbound?.StopAsync() ?? Task.CompletedTask,
            () => northbound?.StopAsync() ?? Task.CompletedTask,
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
