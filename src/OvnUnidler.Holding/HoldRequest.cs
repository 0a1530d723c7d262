namespace OvnUnidler.Holding;

/// <summary>
/// Hold a Service's ports while it wakes: <paramref name="Service"/> is "namespace/name";
/// past <paramref name="Deadline"/> the hold fails (held TCP connections reset, datagrams dropped).
/// <paramref name="PreferredPorts"/> names, for some held ports, the port number to listen on when
/// it can be bound (inside or outside the range); a port without one, or whose preferred number is
/// taken (by another hold or another socket) or refused (a privileged port), gets one from the range.
/// </summary>
public sealed record HoldRequest(
    string Service, IReadOnlyList<HeldPort> Ports, DateTimeOffset Deadline, IReadOnlyDictionary<HeldPort, int>? PreferredPorts = null)
{
    /// <summary>The port number preferred for <paramref name="port"/>, if any.</summary>
    public int? PreferredPort(HeldPort port) =>
        PreferredPorts is not null && PreferredPorts.TryGetValue(port, out var number) && number is > 0 and <= 65535 ? number : null;
}
