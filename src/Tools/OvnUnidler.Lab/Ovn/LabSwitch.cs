using System.Net;

namespace OvnUnidler.Lab.Ovn;

/// <summary>A logical switch the lab created; its subnets only serve to give its ports addresses.</summary>
public sealed record LabSwitch(string Name, IPNetwork? Ipv4Subnet, IPNetwork? Ipv6Subnet);
