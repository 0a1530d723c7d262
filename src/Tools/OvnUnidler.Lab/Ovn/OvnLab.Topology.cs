using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace OvnUnidler.Lab.Ovn;

public sealed partial class OvnLab
{
    // Ports get host addresses from .11 up, so the low addresses stay free for routers and gateways.
    private const int FirstHost = 11;
    private readonly Lock addressGate = new();
    private readonly Dictionary<string, int> portsPerSwitch = new(StringComparer.Ordinal);
    private int portCount;

    public Task<LabSwitch> AddSwitchAsync(string name, string subnet, CancellationToken cancellationToken) =>
        AddSwitchAsync(name, subnet, null, cancellationToken);

    /// <summary>
    /// ls-add. <paramref name="subnet"/> may be IPv4 or IPv6; give the other family as
    /// <paramref name="ipv6Subnet"/> for a dual-stack switch. Ports created with
    /// <see cref="AddPortAsync"/> take their addresses from these.
    /// </summary>
    public async Task<LabSwitch> AddSwitchAsync(string name, string subnet, string? ipv6Subnet = null, CancellationToken cancellationToken = default)
    {
        var first = IPNetwork.Parse(subnet);
        var second = ipv6Subnet is null ? (IPNetwork?)null : IPNetwork.Parse(ipv6Subnet);
        var ipv4 = new[] { first, second }.FirstOrDefault(network => network?.BaseAddress.AddressFamily is AddressFamily.InterNetwork);
        var ipv6 = new[] { first, second }.FirstOrDefault(network => network?.BaseAddress.AddressFamily is AddressFamily.InterNetworkV6);
        await NbctlAsync(["ls-add", name], cancellationToken).ConfigureAwait(false);
        lock (addressGate)
        {
            portsPerSwitch[name] = 0;
        }

        return new LabSwitch(name, ipv4, ipv6);
    }

    /// <summary>lsp-add with the next free MAC and host address of each of the switch's subnets.</summary>
    public async Task<LabPort> AddPortAsync(LabSwitch logicalSwitch, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logicalSwitch);
        int host;
        int serial;
        lock (addressGate)
        {
            host = FirstHost + portsPerSwitch.GetValueOrDefault(logicalSwitch.Name);
            portsPerSwitch[logicalSwitch.Name] = host - FirstHost + 1;
            serial = ++portCount;
        }

        var mac = string.Create(CultureInfo.InvariantCulture, $"0a:00:00:00:{serial >> 8 & 0xff:x2}:{serial & 0xff:x2}");
        var port = new LabPort(
            name, logicalSwitch.Name, mac, HostAddress(logicalSwitch.Ipv4Subnet, host), HostAddress(logicalSwitch.Ipv6Subnet, host));
        var addresses = string.Join(' ', new object?[] { mac, port.Ipv4Address, port.Ipv6Address }.OfType<object>());
        await NbctlAsync(["lsp-add", logicalSwitch.Name, name, "--", "lsp-set-addresses", name, addresses], cancellationToken)
            .ConfigureAwait(false);
        return port;
    }

    /// <summary>Creates the load balancer and attaches it to its switches in one transaction; returns its Northbound _uuid.</summary>
    public async Task<string> AddLoadBalancerAsync(LabLoadBalancerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var arguments = spec.CreateArguments();
        var output = await NbctlAsync(arguments, cancellationToken).ConfigureAwait(false);
        return output.Trim();
    }

    /// <summary>
    /// Sets the VIP's backends ("192.168.1.20:8080", "[fd00::20]:8080"); none gives it empty
    /// backends again. A VIP with backends raises no event (ovn-nb(5), Load_Balancer options:event).
    /// </summary>
    public Task SetBackendsAsync(string loadBalancerUuid, string vip, IEnumerable<string> backends, CancellationToken cancellationToken = default) =>
        NbctlAsync(["set", "Load_Balancer", loadBalancerUuid, CtlSyntax.MapEntry("vips", vip, string.Join(',', backends))], cancellationToken);

    /// <summary>
    /// <c>ovn-nbctl --wait=hv sync</c>: returns once every chassis has installed the flows of
    /// the Northbound as it is now. Hangs (until the timeout) while a chassis is down with its
    /// Chassis_Private row left behind.
    /// </summary>
    public Task WaitForHypervisorSyncAsync(CancellationToken cancellationToken = default) =>
        NbctlAsync([TimeoutOption, "--wait=hv", "sync"], cancellationToken);

    private static IPAddress? HostAddress(IPNetwork? subnet, int host)
    {
        if (subnet is not { } network)
        {
            return null;
        }

        var bytes = network.BaseAddress.GetAddressBytes();
        var hostBits = bytes.Length * 8 - network.PrefixLength;
        if (hostBits < 31 && host >= (1 << hostBits) - 1)
        {
            throw new InvalidOperationException($"{network} has no room for host {host}");
        }

        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true) + host;
        var result = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[bytes.Length];
        result.CopyTo(padded, padded.Length - result.Length);
        return new IPAddress(padded);
    }
}
