namespace OvnUnidler.Holding.Observability;

/// <summary>Why a TCP connection was reset.</summary>
public enum ResetReason
{
    /// <summary>The Service already held <see cref="HoldingOptions.MaxConnectionsPerService"/> connections and flows.</summary>
    ServiceLimit,

    /// <summary>The process already held <see cref="HoldingOptions.MaxConnections"/>.</summary>
    TotalLimit,

    /// <summary>The hold ended as <see cref="HoldEnd.Failed"/> while the connection waited for an endpoint.</summary>
    HoldFailed,

    /// <summary>The hold's deadline passed while the connection waited for an endpoint.</summary>
    Deadline,

    /// <summary>No ready endpoint accepted the connection within <see cref="HoldingOptions.ConnectTimeout"/>.</summary>
    ConnectFailed,

    /// <summary>One side of a relayed connection reset it (or failed); the other side is reset too.</summary>
    PeerReset,

    /// <summary>The holder was disposed (the process stops).</summary>
    Shutdown,
}
