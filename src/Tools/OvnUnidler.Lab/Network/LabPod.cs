using System.Collections.Concurrent;
using System.Net;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// A pod of the real-traffic lab: a network namespace whose eth0 is one end of a veth, the other
/// end a port of its node's br-int bound to the logical switch port <see cref="LogicalPort"/>,
/// with the port's MAC and addresses and the node switch's router port as default gateway.
/// </summary>
public sealed class LabPod
{
    private readonly ConcurrentDictionary<int, PodProcess> processes = new();

    internal LabPod(string name, NetdevChassis node, NetworkNamespace space, string hostLink, string logicalPort, string mac, IPAddress ipv4, IPAddress ipv6, int host)
    {
        Name = name;
        Node = node;
        Namespace = space;
        HostLink = hostLink;
        LogicalPort = logicalPort;
        Mac = mac;
        Ipv4 = ipv4;
        Ipv6 = ipv6;
        Host = host;
    }

    public string Name { get; }

    public NetdevChassis Node { get; }

    public NetworkNamespace Namespace { get; }

    /// <summary>The veth end on br-int, in the node's namespace.</summary>
    public string HostLink { get; }

    public string LogicalPort { get; }

    public string Mac { get; }

    public IPAddress Ipv4 { get; }

    public IPAddress Ipv6 { get; }

    internal int Host { get; }

    /// <summary>Starts a program inside the pod; it is killed when the pod is removed.</summary>
    public PodProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = PodProcess.Start(Namespace, executable, arguments, environment);
        processes[process.Pid] = process;
        return process;
    }

    /// <summary>Runs a program inside the pod to its end and returns its output.</summary>
    public Task<string> ExecAsync(string executable, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        Namespace.ExecAsync(executable, arguments, cancellationToken);

    internal void KillProcesses()
    {
        foreach (var process in processes.Values)
        {
            process.Dispose();
        }

        processes.Clear();
    }

    public override string ToString() => $"{Name} ({Ipv4}, {Ipv6}) on {Node}";
}
