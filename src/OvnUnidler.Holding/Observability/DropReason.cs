namespace OvnUnidler.Holding.Observability;

/// <summary>Why a UDP datagram was dropped.</summary>
public enum DropReason
{
    /// <summary>Its client already had <see cref="HoldingOptions.MaxDatagramsPerClient"/> datagrams kept.</summary>
    ClientDatagramLimit,

    /// <summary>Keeping it would exceed <see cref="HoldingOptions.MaxBufferedBytesPerClient"/>.</summary>
    ClientByteLimit,

    /// <summary>The Service already had <see cref="HoldingOptions.MaxDatagramsPerService"/> datagrams kept.</summary>
    ServiceDatagramLimit,

    /// <summary>Keeping it would exceed <see cref="HoldingOptions.MaxBufferedBytesPerService"/>.</summary>
    ServiceByteLimit,

    /// <summary>A new flow would exceed <see cref="HoldingOptions.MaxConnectionsPerService"/>.</summary>
    ServiceLimit,

    /// <summary>A new flow would exceed <see cref="HoldingOptions.MaxConnections"/>.</summary>
    TotalLimit,

    /// <summary>The hold ended as <see cref="HoldEnd.Failed"/> before an endpoint was ready.</summary>
    HoldFailed,

    /// <summary>The hold's deadline passed before an endpoint was ready.</summary>
    Deadline,

    /// <summary>Its flow was idle for <see cref="HoldingOptions.UdpFlowIdleTimeout"/> before an endpoint was ready.</summary>
    FlowExpired,

    /// <summary>A new client after the hold drained while the Service has no ready endpoint to relay it to.</summary>
    Drained,

    /// <summary>Sending it to the endpoint (or a reply to the client) failed.</summary>
    SendFailed,

    /// <summary>The holder was disposed (the process stops).</summary>
    Shutdown,
}
