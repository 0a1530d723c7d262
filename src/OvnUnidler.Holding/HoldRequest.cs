namespace OvnUnidler.Holding;

/// <summary>
/// Hold a Service's ports while it wakes: <paramref name="Service"/> is "namespace/name";
/// past <paramref name="Deadline"/> the hold fails (held TCP connections reset, datagrams dropped).
/// </summary>
public sealed record HoldRequest(string Service, IReadOnlyList<HeldPort> Ports, DateTimeOffset Deadline);
