namespace OvnUnidler.Lab.Ovn;

public sealed class OvnLabOptions
{
    /// <summary>How many chassis (hv1, hv2, ...), each with its own ovsdb-server, ovs-vswitchd and ovn-controller.</summary>
    public int Chassis { get; init; } = 1;

    /// <summary>Also serve the Southbound on tcp:127.0.0.1 at a free port, as the operator reaches it in a cluster.</summary>
    public bool SouthboundTcp { get; init; }

    /// <summary>Name prefix of the private directory under /tmp (socket paths must stay under 108 bytes).</summary>
    public string DirectoryPrefix { get; init; } = "ovnlab";

    /// <summary>Keep databases and daemon logs after dispose, to read them after a failure.</summary>
    public bool KeepDirectory { get; init; }

    /// <summary>Extra ovn-northd arguments, e.g. "-vdbg".</summary>
    public IReadOnlyList<string> NorthdArguments { get; init; } = [];

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        // Chassis N encapsulates from 127.0.0.N.
        ArgumentOutOfRangeException.ThrowIfLessThan(Chassis, 0, nameof(Chassis));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Chassis, 254, nameof(Chassis));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StartTimeout, TimeSpan.Zero, nameof(StartTimeout));
    }
}
