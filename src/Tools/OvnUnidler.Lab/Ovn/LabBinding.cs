namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// A logical port bound on one chassis: an OVS interface on br-int whose external-ids:iface-id
/// names the port. <see cref="Port"/> is known when the port was created by the lab, and gives
/// packets their source MAC and IP.
/// </summary>
public sealed record LabBinding(string Chassis, string LogicalPort, string Interface, int OfPort, LabPort? Port = null);
