namespace OvnUnidler.Lab.Network;

public sealed class TrafficLabOptions
{
    /// <summary>OVN deployments joined by ovn-ic; 1 means no interconnect.</summary>
    public int Zones { get; init; } = 1;

    /// <summary>Nodes (chassis) in each zone; more than one node in the lab joins them by geneve over a shared underlay.</summary>
    public int NodesPerZone { get; init; } = 1;

    /// <summary>
    /// A link from the host to the lab, so that operator pods (<see cref="TrafficLab.AddOperatorPodAsync"/>)
    /// reach what listens on the host, as a pod reaches its API server: a bridge in a lab namespace
    /// with a veth to the host, whose host end takes <see cref="TrafficLab.HostAddress"/>.
    /// </summary>
    public bool HostLink { get; init; }

    /// <summary>Keep databases and daemon logs after dispose, to read them after a failure.</summary>
    public bool KeepDirectory { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    internal void Validate()
    {
        // Node N is 10.244.N.0/24 and tunnels from 172.30.0.N.
        ArgumentOutOfRangeException.ThrowIfLessThan(Zones, 1, nameof(Zones));
        ArgumentOutOfRangeException.ThrowIfLessThan(NodesPerZone, 1, nameof(NodesPerZone));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Zones * NodesPerZone, 250, nameof(NodesPerZone));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StartTimeout, TimeSpan.Zero, nameof(StartTimeout));
    }
}
