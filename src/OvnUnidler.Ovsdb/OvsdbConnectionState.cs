namespace OvnUnidler.Ovsdb;

public enum OvsdbConnectionStatus
{
    Connecting,
    Connected,
    Disconnected,
}

/// <summary>A change of the client's connection, with the remote and, when it failed, why.</summary>
public sealed record OvsdbConnectionState(OvsdbConnectionStatus Status, string? Remote, string? Reason = null);
