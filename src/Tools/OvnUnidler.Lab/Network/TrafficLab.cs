using System.Diagnostics;
using System.Globalization;
using System.Net;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// Real OVN for real traffic: zones of nodes whose ovs-vswitchd runs on the userspace datapath in
/// its own network namespace, wired as ovn-kubernetes wires a cluster (node switches with a
/// router port on ovn_cluster_router each; Service load balancers on the node switches), nodes of a zone and of all zones joined by geneve over an underlay bridge, zones by
/// ovn-ic with a transit switch. Pods are network namespaces on their node's switch. Everything
/// it made is removed on dispose, on a failed start, at process exit, and, after a killed run,
/// by the <see cref="LeftoverReaper"/> the next lab runs first. Operator pods reach the host through
/// an optional host link (<see cref="TrafficLabOptions.HostLink"/>). Needs root.
/// </summary>
public sealed partial class TrafficLab : IAsyncDisposable
{
    private const string Router = "ovn_cluster_router";
    private const string TransitSwitch = "ts1";
    private readonly TrafficLabOptions options;
    private readonly CommandRunner runner;
    private readonly List<TrafficZone> zones = [];
    private readonly List<NetworkNamespace> namespaces = [];
    private readonly Lock gate = new();
    private OvsdbServer? icNorthbound;
    private OvsdbServer? icSouthbound;
    private int disposed;

    private TrafficLab(TrafficLabOptions options, string id)
    {
        this.options = options;
        Id = id;
        Directory = LabNames.DirectoryPrefix + id;
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, LabNames.OwnerFile), LabOwner.Current.Token);
        runner = new CommandRunner(Directory);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Eight hex digits that every namespace and the directory of this lab carry.</summary>
    public string Id { get; }

    public string Directory { get; }

    public IReadOnlyList<TrafficZone> Zones => zones;

    public IEnumerable<NetdevChassis> Nodes => zones.SelectMany(zone => zone.Nodes);

    /// <summary>Wall-clock time the start took (daemons, topology, every node synced).</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>Every daemon the lab runs (databases, ovn-northd, ovn-ic, ovs-vswitchd, ovn-controller).</summary>
    public IReadOnlyList<int> Pids =>
        new[] { icNorthbound?.Pid, icSouthbound?.Pid }.OfType<int>().Concat(zones.SelectMany(zone => zone.Pids)).ToArray();

    /// <summary>The namespaces this lab has made and not yet removed.</summary>
    public IReadOnlyList<string> NamespaceNames
    {
        get
        {
            lock (gate)
            {
                return [.. namespaces.Select(space => space.Name)];
            }
        }
    }

    /// <summary>Why real traffic cannot run here (not root, no network namespaces, tools missing), or null.</summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the real-traffic lab needs Linux network namespaces";
        }

        if (!IsRoot())
        {
            return "the real-traffic lab needs root (network namespaces, veth links)";
        }

        foreach (var tool in new[] { "ip", "ethtool", "ovs-vswitchd", "ovn-controller", "ovn-northd", "ovn-ic", "curl" })
        {
            if (!ExecutableLocator.IsInstalled(tool))
            {
                return $"{tool} is not installed; run `bash .ci/setup`";
            }
        }

        return null;
    }

    public static async Task<TrafficLab> StartAsync(TrafficLabOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrafficLabOptions();
        options.Validate();
        await LeftoverReaper.ReapAsync(cancellationToken).ConfigureAwait(false);
        var lab = new TrafficLab(options, Guid.NewGuid().ToString("N")[..8]);
        var clock = Stopwatch.StartNew();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.StartTimeout);
            await lab.StartCoreAsync(deadline.Token).ConfigureAwait(false);
            lab.StartDuration = clock.Elapsed;
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public TrafficZone ZoneOf(NetdevChassis node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return zones[node.Zone - 1];
    }

    /// <summary>Node N's subnets: 10.244.N.0/24 and fd00:10:244:N::/64, gateway .1 / ::1 on the router.</summary>
    public static IPAddress NodeAddress(int node, int host, bool ipv6) => ipv6
        ? IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"fd00:10:244:{node:x}::{host:x}"))
        : new IPAddress([10, 244, checked((byte)node), checked((byte)host)]);

    private static string Mac(int node, int host) => string.Create(CultureInfo.InvariantCulture, $"0a:58:0a:f4:{node:x2}:{host:x2}");

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var interconnect = options.Zones > 1;
        if (interconnect)
        {
            await StartInterconnectDatabasesAsync(cancellationToken).ConfigureAwait(false);
        }

        var nodeNumber = 0;
        for (var z = 1; z <= options.Zones; z++)
        {
            var zone = new TrafficZone(Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"az{z}")), z);
            zones.Add(zone);
            for (var n = 0; n < options.NodesPerZone; n++)
            {
                nodeNumber++;
                var name = string.Create(CultureInfo.InvariantCulture, $"node{nodeNumber}");
                var space = await CreateNamespaceAsync(name, cancellationToken).ConfigureAwait(false);
                zone.Add(new NetdevChassis(Path.Combine(zone.Directory, name), nodeNumber, z, space));
            }
        }

        await Task.WhenAll(zones.Select(async zone =>
        {
            await zone.StartDatabasesAsync(cancellationToken).ConfigureAwait(false);
            if (interconnect)
            {
                await zone.StartInterconnectAsync(icNorthbound!.UnixRemote, icSouthbound!.UnixRemote, cancellationToken).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);

        var underlay = nodeNumber > 1;
        await Task.WhenAll(Nodes.Select(node => node.StartAsync(
            ZoneOf(node).SouthboundRemote,
            underlay ? new IPAddress([172, 30, 0, (byte)node.Number]) : IPAddress.Loopback,
            cancellationToken))).ConfigureAwait(false);
        if (underlay)
        {
            await WireUnderlayAsync(cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(zones.Select(zone => BuildZoneTopologyAsync(zone, cancellationToken))).ConfigureAwait(false);
        if (options.HostLink)
        {
            await WireHostLinkAsync(cancellationToken).ConfigureAwait(false);
        }

        if (interconnect)
        {
            await InterconnectZonesAsync(cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(zones.Select(async zone =>
        {
            var waits = new List<string> { TrafficZone.TimeoutOption };
            foreach (var node in zone.Nodes)
            {
                waits.AddRange(["wait-until", "Chassis_Private", node.Name, "--"]);
            }

            await zone.SbctlAsync(waits[..^1], cancellationToken).ConfigureAwait(false);
            await zone.WaitForHypervisorSyncAsync(cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);
    }

    private async Task StartInterconnectDatabasesAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Directory, "ic");
        var nb = OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory, Name = "icnb", SchemaPath = "/usr/share/ovn/ovn-ic-nb.ovsschema" }, cancellationToken);
        var sb = OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory, Name = "icsb", SchemaPath = "/usr/share/ovn/ovn-ic-sb.ovsschema" }, cancellationToken);
        try
        {
            await Task.WhenAll(nb, sb).ConfigureAwait(false);
        }
        finally
        {
            icNorthbound = nb.IsCompletedSuccessfully ? nb.Result : null;
            icSouthbound = sb.IsCompletedSuccessfully ? sb.Result : null;
        }

        await runner.RunAsync("ovn-ic-nbctl", [$"--db={icNorthbound!.UnixRemote}", "init"], cancellationToken).ConfigureAwait(false);
        await runner.RunAsync("ovn-ic-sbctl", [$"--db={icSouthbound!.UnixRemote}", "init"], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A Linux bridge in a namespace of its own, with a veth to every node: the lab's physical network.</summary>
    private async Task WireUnderlayAsync(CancellationToken cancellationToken)
    {
        var fabric = await CreateNamespaceAsync("underlay", cancellationToken).ConfigureAwait(false);
        await fabric.IpAsync(["link", "add", "ul", "type", "bridge"], cancellationToken).ConfigureAwait(false);
        await fabric.IpAsync(["link", "set", "ul", "up"], cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(Nodes.Select(async node =>
        {
            var peer = string.Create(CultureInfo.InvariantCulture, $"ul{node.Number}");
            await node.Namespace.IpAsync(["link", "add", "ul", "type", "veth", "peer", "name", peer, "netns", fabric.Name], cancellationToken).ConfigureAwait(false);
            await fabric.IpAsync(["link", "set", peer, "master", "ul", "up"], cancellationToken).ConfigureAwait(false);
            await node.Namespace.IpAsync(["link", "set", "ul", "up"], cancellationToken).ConfigureAwait(false);
            await node.AttachUnderlayAsync("ul", node.EncapIp!, 24, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);

        // OVS's userspace tunnelling drops a packet whose remote tunnel address it has no neighbour
        // entry for, and learns the entry by snooping ARP on br-phy: one ping from every node to
        // every other node's tunnel address, so no pod's first packet across nodes is lost to that
        // (a client's first SYN retransmit to a backend on another node was, on every fresh lab).
        await Task.WhenAll(Nodes.SelectMany(node => Nodes.Where(other => other != node).Select(other =>
            node.Namespace.ExecAsync("ping", ["-c", "3", "-i", "0.2", "-W", "2", other.EncapIp!.ToString()], cancellationToken)))).ConfigureAwait(false);
    }

    /// <summary>ovn-kubernetes' shape: ovn_cluster_router, and per node a switch with router port rtos-NODE / stor-NODE.</summary>
    private static async Task BuildZoneTopologyAsync(TrafficZone zone, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "lr-add", Router };
        foreach (var node in zone.Nodes)
        {
            var n = node.Number;
            var routerPort = $"rtos-{node.Name}";
            var switchPort = $"stor-{node.Name}";
            arguments.AddRange(
            [
                "--", "ls-add", node.Name,
                "--", "lrp-add", Router, routerPort, Mac(n, 1), $"{NodeAddress(n, 1, false)}/24", $"{NodeAddress(n, 1, true)}/64",
                "--", "lsp-add", node.Name, switchPort,
                "--", "lsp-set-type", switchPort, "router",
                "--", "lsp-set-addresses", switchPort, "router",
                "--", "lsp-set-options", switchPort, $"router-port={routerPort}",
            ]);
        }

        await zone.NbctlAsync(arguments, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// ovn-ic(8): a transit switch that ovn-ic creates in every zone's Northbound, a router port of
    /// each zone on it (100.88.0.Z/16, as ovn-kubernetes' transit subnet) with the zone's first
    /// node as its gateway chassis (external_ids:ovn-is-interconn=true), then wait until every
    /// zone has learned the other zones' node subnets.
    /// </summary>
    private async Task InterconnectZonesAsync(CancellationToken cancellationToken)
    {
        await runner.RunAsync("ovn-ic-nbctl", [$"--db={icNorthbound!.UnixRemote}", "ts-add", TransitSwitch], cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(zones.Select(async zone =>
        {
            var z = zone.Number;
            var gateway = zone.Nodes[0];
            await gateway.VsctlAsync(["set", "Open_vSwitch", ".", "external_ids:ovn-is-interconn=true"], cancellationToken).ConfigureAwait(false);
            await zone.NbctlAsync([TrafficZone.InterconnectTimeoutOption, "wait-until", "Logical_Switch", TransitSwitch], cancellationToken).ConfigureAwait(false);
            var routerPort = $"rtots-{zone.Name}";
            var switchPort = $"tstor-{zone.Name}";
            await zone.NbctlAsync(
            [
                "lrp-add", Router, routerPort, string.Create(CultureInfo.InvariantCulture, $"0a:58:64:58:00:{z:x2}"),
                string.Create(CultureInfo.InvariantCulture, $"100.88.0.{z}/16"), string.Create(CultureInfo.InvariantCulture, $"fd97::{z:x}/64"),
                "--", "lsp-add", TransitSwitch, switchPort,
                "--", "lsp-set-type", switchPort, "router",
                "--", "lsp-set-addresses", switchPort, "router",
                "--", "lsp-set-options", switchPort, $"router-port={routerPort}",
                "--", "lrp-set-gateway-chassis", routerPort, gateway.Name, "1",
            ], cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);

        // ovn-ic copies each zone's transit port into the others as a "remote" port and its
        // gateway as a remote Chassis; until both are there the tunnel to that zone is missing.
        await Task.WhenAll(zones.SelectMany(zone => zones.Where(other => other != zone).Select(async other =>
        {
            await zone.NbctlAsync([TrafficZone.InterconnectTimeoutOption, "wait-until", "Logical_Switch_Port", $"tstor-{other.Name}", "type=remote"], cancellationToken)
                .ConfigureAwait(false);
            await zone.SbctlAsync([TrafficZone.InterconnectTimeoutOption, "wait-until", "Chassis", other.Nodes[0].Name], cancellationToken).ConfigureAwait(false);
        }))).ConfigureAwait(false);

        await Task.WhenAll(zones.Select(async zone =>
        {
            var remoteSubnets = Nodes.Where(node => node.Zone != zone.Number)
                .Select(node => string.Create(CultureInfo.InvariantCulture, $"10.244.{node.Number}.0/24")).ToList();
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var routes = await zone.NbctlAsync(["lr-route-list", Router], cancellationToken).ConfigureAwait(false);
                if (remoteSubnets.All(subnet => routes.Contains(subnet, StringComparison.Ordinal)))
                {
                    return;
                }

                if (deadline.Elapsed > InterconnectPatience)
                {
                    throw new TimeoutException($"{zone.Name} did not learn the routes of {string.Join(", ", remoteSubnets)} from ovn-ic: {routes}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);

        await SettleTransitTunnelKeysAsync(cancellationToken).ConfigureAwait(false);
    }

    // As long as TrafficZone's interconnect waits: ovn-ic is what a loaded machine starves first.
    private static readonly TimeSpan InterconnectPatience = TimeSpan.FromSeconds(120);

    /// <summary>
    /// ovn-northd numbers a new transit switch and its ports itself; ovn-ic then requests the keys
    /// it allocated in the interconnect Southbound (options:requested-tnl-key), and northd renumbers.
    /// ovn-controller 23.03 kept the first numbers in its flows when that happened after it had
    /// installed them: geneve packets to the other zone carried the old port key and the other
    /// zone's gateway dropped them (a cross-zone client timed out in about one lab start of two).
    /// So: wait until every zone's Southbound carries the interconnect keys, then have every node
    /// recompute its flows once (docs/ovn-facts.md).
    /// </summary>
    private async Task SettleTransitTunnelKeysAsync(CancellationToken cancellationToken)
    {
        var agreed = await InterconnectKeysAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(zones.Select(async zone =>
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var actual = await ZoneKeysAsync(zone, agreed.Keys, cancellationToken).ConfigureAwait(false);
                if (agreed.All(pair => actual.TryGetValue(pair.Key, out var key) && key == pair.Value))
                {
                    return;
                }

                if (deadline.Elapsed > InterconnectPatience)
                {
                    throw new TimeoutException(
                        $"{zone.Name}'s transit keys {string.Join(", ", actual)} never became the interconnect's {string.Join(", ", agreed)}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        await Task.WhenAll(Nodes.Select(node => node.RecomputeAsync(cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>The transit switch's datapath key ("ts1") and its ports' keys ("tstor-az1", ...), as the interconnect Southbound allocated them.</summary>
    private async Task<Dictionary<string, string>> InterconnectKeysAsync(CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ports = await runner.RunAsync(
                "ovn-ic-sbctl", [$"--db={icSouthbound!.UnixRemote}", "--bare", "--columns=logical_port,tunnel_key", "--format=csv", "--no-headings", "list", "Port_Binding"],
                cancellationToken).ConfigureAwait(false);
            var datapath = await runner.RunAsync(
                "ovn-ic-sbctl", [$"--db={icSouthbound.UnixRemote}", "--bare", "--columns=tunnel_key", "find", "Datapath_Binding", $"transit_switch={TransitSwitch}"],
                cancellationToken).ConfigureAwait(false);
            keys.Clear();
            foreach (var line in ports.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (line.Split(',') is [var port, var key])
                {
                    keys[port] = key;
                }
            }

            if (datapath.Trim() is { Length: > 0 } datapathKey && keys.Count == zones.Count)
            {
                keys[TransitSwitch] = datapathKey;
                return keys;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"the interconnect Southbound never held keys for {TransitSwitch} and its {zones.Count} ports: {ports} / {datapath}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<Dictionary<string, string>> ZoneKeysAsync(TrafficZone zone, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var key = name == TransitSwitch
                ? await zone.SbctlAsync(["--bare", "--columns=tunnel_key", "find", "Datapath_Binding", $"external_ids:name={name}"], cancellationToken).ConfigureAwait(false)
                : await zone.SbctlAsync(["--bare", "--columns=tunnel_key", "find", "Port_Binding", $"logical_port={name}"], cancellationToken).ConfigureAwait(false);
            if (key.Trim() is { Length: > 0 } found)
            {
                keys[name] = found;
            }
        }

        return keys;
    }

    private async Task<NetworkNamespace> CreateNamespaceAsync(string role, CancellationToken cancellationToken)
    {
        var space = await NetworkNamespace.CreateAsync(runner, LabNames.Namespace(LabOwner.Current, Id, role), cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            namespaces.Add(space);
        }

        return space;
    }

    private static bool IsRoot() => File.ReadLines("/proc/self/status")
        .FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, var real, var effective, ..]
        && (real == "0" || effective == "0");
}
