using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Lab.Tests.Databases;

public sealed class FreeTcpPortTests
{
    [Fact]
    public void Picked_ports_are_outside_the_kernel_ephemeral_range_distinct_and_bindable()
    {
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
            .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(field => int.Parse(field, CultureInfo.InvariantCulture))
            .ToArray();

        var ports = Enumerable.Range(0, 50).Select(_ => FreeTcpPort.Pick()).ToList();

        Assert.All(ports, port => Assert.False(port >= range[0] && port <= range[1], $"{port} is in the ephemeral range {range[0]}-{range[1]}"));
        Assert.Equal(ports.Count, ports.Distinct().Count());
        using var listener = new TcpListener(IPAddress.Loopback, ports[^1]);
        listener.Start();
    }
}
