using System.Globalization;

namespace OvnUnidler.Lab.Network;

public sealed partial class TrafficLab
{
    // Hosts .1 is the router port; pods take .10 and up, and a removed pod's host comes back last.
    private const int FirstPodHost = 10;
    private const int LastPodHost = 250;
    private const int PodMtu = 1400;
    private readonly Dictionary<int, Queue<int>> freeHosts = [];
    private readonly Dictionary<string, LabPod> pods = new(StringComparer.Ordinal);
    private int podSerial;

    public IReadOnlyList<LabPod> Pods
    {
        get
        {
            lock (gate)
            {
                return [.. pods.Values];
            }
        }
    }

    /// <summary>
    /// A pod on <paramref name="node"/>: logical switch port <paramref name="logicalPort"/> with the
    /// node subnet's next addresses (IPv4 and IPv6), bound through a veth into a new network
    /// namespace; returns once OVN reports the port up (its flows are installed).
    /// </summary>
    public async Task<LabPod> AddPodAsync(NetdevChassis node, string logicalPort, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        int host;
        int serial;
        lock (gate)
        {
            if (pods.ContainsKey(logicalPort))
            {
                throw new InvalidOperationException($"the lab already has a pod on logical port {logicalPort}");
            }

            var free = freeHosts.TryGetValue(node.Number, out var queue) ? queue : freeHosts[node.Number] = new Queue<int>(Enumerable.Range(FirstPodHost, LastPodHost - FirstPodHost + 1));
            host = free.Count > 0 ? free.Dequeue() : throw new InvalidOperationException($"{node} has no free pod address left");
            serial = ++podSerial;
        }

        var mac = Mac(node.Number, host);
        var ipv4 = NodeAddress(node.Number, host, ipv6: false);
        var ipv6 = NodeAddress(node.Number, host, ipv6: true);
        var hostLink = string.Create(CultureInfo.InvariantCulture, $"vp{serial}");
        var space = await CreateNamespaceAsync(string.Create(CultureInfo.InvariantCulture, $"pod{serial}"), cancellationToken).ConfigureAwait(false);
        var pod = new LabPod(logicalPort, node, space, hostLink, logicalPort, mac, ipv4, ipv6, host);
        lock (gate)
        {
            pods[logicalPort] = pod;
        }

        var zone = ZoneOf(node);
        await node.Namespace.IpAsync(["link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", space.Name], cancellationToken).ConfigureAwait(false);
        await space.IpAsync(["link", "set", "eth0", "address", mac], cancellationToken).ConfigureAwait(false);
        // Geneve adds its headers to a pod's packet on the underlay (MTU 1500): a full-sized packet
        // from another node would be dropped, so only small answers crossed. ovn-kubernetes gives
        // pods the underlay's MTU less 100 for the same reason.
        await space.IpAsync(["link", "set", "eth0", "mtu", PodMtu.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        await space.IpAsync(["addr", "add", $"{ipv4}/24", "dev", "eth0"], cancellationToken).ConfigureAwait(false);
        // nodad: the address is usable at once instead of after duplicate address detection.
        await space.IpAsync(["addr", "add", $"{ipv6}/64", "dev", "eth0", "nodad"], cancellationToken).ConfigureAwait(false);
        await space.IpAsync(["link", "set", "eth0", "up"], cancellationToken).ConfigureAwait(false);
        // With transmit checksum offload the veth hands OVS packets with partial checksums, and
        // TCP never connects (ping does): docs/ovn-facts.md.
        await space.ExecAsync("ethtool", ["-K", "eth0", "tx", "off"], cancellationToken).ConfigureAwait(false);
        await space.IpAsync(["route", "add", "default", "via", NodeAddress(node.Number, 1, false).ToString()], cancellationToken).ConfigureAwait(false);
        await space.IpAsync(["-6", "route", "add", "default", "via", NodeAddress(node.Number, 1, true).ToString()], cancellationToken).ConfigureAwait(false);
        await node.Namespace.IpAsync(["link", "set", hostLink, "up"], cancellationToken).ConfigureAwait(false);
        await zone.NbctlAsync(["lsp-add", node.Name, logicalPort, "--", "lsp-set-addresses", logicalPort, $"{mac} {ipv4} {ipv6}"], cancellationToken)
            .ConfigureAwait(false);
        await node.VsctlAsync(["add-port", "br-int", hostLink, "--", "set", "Interface", hostLink, Ovn.CtlSyntax.MapEntry("external_ids", "iface-id", logicalPort)], cancellationToken)
            .ConfigureAwait(false);
        await zone.NbctlAsync([TrafficZone.TimeoutOption, "wait-until", "Logical_Switch_Port", logicalPort, "up=true"], cancellationToken).ConfigureAwait(false);
        return pod;
    }

    /// <summary>Stops the pod's programs, unbinds and deletes its port, and removes its namespace.</summary>
    public async Task RemovePodAsync(LabPod pod, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (gate)
        {
            if (!pods.Remove(pod.LogicalPort))
            {
                return;
            }
        }

        pod.KillProcesses();
        await pod.Node.VsctlAsync(["--if-exists", "del-port", "br-int", pod.HostLink], cancellationToken).ConfigureAwait(false);
        await ZoneOf(pod.Node).NbctlAsync(["--if-exists", "lsp-del", pod.LogicalPort], cancellationToken).ConfigureAwait(false);
        await pod.Namespace.DeleteAsync(cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            namespaces.Remove(pod.Namespace);
            freeHosts[pod.Node.Number].Enqueue(pod.Host);
        }
    }
}
