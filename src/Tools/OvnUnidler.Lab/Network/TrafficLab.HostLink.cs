using System.Globalization;
using System.Net;

namespace OvnUnidler.Lab.Network;

public sealed partial class TrafficLab
{
    private const string HostLinkBridge = "hl";
    private const string LockFile = "/tmp/ovnu-hostlink.lock";
    private const int FirstHostLinkSubnet = 200;
    private const int LastHostLinkSubnet = 249;
    private const int FirstOperatorPodHost = 10;
    private NetworkNamespace? hostLink;
    private int hostLinkSubnet;
    private int operatorPods;

    /// <summary>
    /// The host's address on the lab's host link (<see cref="TrafficLabOptions.HostLink"/>), where a
    /// server must listen to be reached from operator pods; null without a host link.
    /// </summary>
    public IPAddress? HostAddress { get; private set; }

    /// <summary>The host end of the host link, "ovnuLABID": removed with the lab's namespace that holds its peer.</summary>
    public string HostLinkName => LabNames.HostLink(Id);

    /// <summary>
    /// An operator pod on <paramref name="node"/>: a pod (<see cref="AddPodAsync"/>) with a second
    /// veth into the host link's bridge, addressed in the host link's subnet. Remove it with
    /// <see cref="RemovePodAsync"/>; its link goes with its namespace.
    /// </summary>
    public async Task<LabOperatorPod> AddOperatorPodAsync(NetdevChassis node, string logicalPort, CancellationToken cancellationToken = default)
    {
        var bridge = hostLink ?? throw new InvalidOperationException("the lab was started without TrafficLabOptions.HostLink");
        int host;
        lock (gate)
        {
            host = FirstOperatorPodHost + operatorPods++;
        }

        if (host > 250)
        {
            throw new InvalidOperationException("the host link has no address left for another operator pod");
        }

        var pod = await AddPodAsync(node, logicalPort, cancellationToken).ConfigureAwait(false);
        var address = HostLinkAddress(host);
        var peer = string.Create(CultureInfo.InvariantCulture, $"op{host}");
        await pod.Namespace.IpAsync(["link", "add", "api0", "type", "veth", "peer", "name", peer, "netns", bridge.Name], cancellationToken).ConfigureAwait(false);
        await pod.Namespace.IpAsync(["addr", "add", $"{address}/24", "dev", "api0"], cancellationToken).ConfigureAwait(false);
        await pod.Namespace.IpAsync(["link", "set", "api0", "up"], cancellationToken).ConfigureAwait(false);
        await bridge.IpAsync(["link", "set", peer, "master", HostLinkBridge, "up"], cancellationToken).ConfigureAwait(false);
        return new LabOperatorPod(pod, address, HostAddress!);
    }

    /// <summary>
    /// A bridge in the lab's namespace "hostlink" and a veth from it to the host, whose host end
    /// takes .1 of a 169.254.S.0/24 that no address of the host uses yet. Labs of other processes
    /// pick theirs at the same time, so the choice is made under an exclusive lock on a file that
    /// every lab shares (released when the address is on the link, or by the kernel if this
    /// process dies holding it). Deleting the namespace deletes both ends of the veth.
    /// </summary>
    private async Task WireHostLinkAsync(CancellationToken cancellationToken)
    {
        var bridge = await CreateNamespaceAsync("hostlink", cancellationToken).ConfigureAwait(false);
        await bridge.IpAsync(["link", "add", HostLinkBridge, "type", "bridge"], cancellationToken).ConfigureAwait(false);
        await bridge.IpAsync(["link", "set", HostLinkBridge, "up"], cancellationToken).ConfigureAwait(false);
        await runner.RunAsync("ip", ["link", "add", HostLinkName, "type", "veth", "peer", "name", "host", "netns", bridge.Name], cancellationToken)
            .ConfigureAwait(false);
        await bridge.IpAsync(["link", "set", "host", "master", HostLinkBridge, "up"], cancellationToken).ConfigureAwait(false);
        using (await AcquireLockAsync(cancellationToken).ConfigureAwait(false))
        {
            var used = await runner.RunAsync("ip", ["-4", "-o", "addr", "show"], cancellationToken).ConfigureAwait(false);
            hostLinkSubnet = Enumerable.Range(FirstHostLinkSubnet, LastHostLinkSubnet - FirstHostLinkSubnet + 1)
                .FirstOrDefault(subnet => !used.Contains(string.Create(CultureInfo.InvariantCulture, $" 169.254.{subnet}."), StringComparison.Ordinal));
            if (hostLinkSubnet == 0)
            {
                throw new InvalidOperationException($"no 169.254.{FirstHostLinkSubnet}-{LastHostLinkSubnet}.0/24 is free on the host for the lab's host link");
            }

            HostAddress = HostLinkAddress(1);
            await runner.RunAsync("ip", ["addr", "add", $"{HostAddress}/24", "dev", HostLinkName], cancellationToken).ConfigureAwait(false);
        }

        await runner.RunAsync("ip", ["link", "set", HostLinkName, "up"], cancellationToken).ConfigureAwait(false);
        hostLink = bridge;
    }

    private IPAddress HostLinkAddress(int host) => new([169, 254, checked((byte)hostLinkSubnet), checked((byte)host)]);

    private static async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // FileShare.None takes flock(2) LOCK_EX on Unix; a second holder gets an IOException.
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
