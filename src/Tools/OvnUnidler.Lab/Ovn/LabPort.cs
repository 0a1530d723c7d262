using System.Net;

namespace OvnUnidler.Lab.Ovn;

/// <summary>A logical switch port with the addresses set on it (<c>lsp-set-addresses</c>).</summary>
public sealed record LabPort(string Name, string Switch, string Mac, IPAddress? Ipv4Address, IPAddress? Ipv6Address);
