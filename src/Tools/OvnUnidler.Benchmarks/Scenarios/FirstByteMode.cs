namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// How the first-byte benchmark's operator runs (--mode): "retransmit", in this process, the client
/// served at its own SYN retransmit or query retry after the backends land; "hold", the operator
/// process in an operator pod with Unidler:HoldConnections=true, its holder keeping the client's
/// retransmitted SYN or datagram until a pod is ready (issue 16).
/// </summary>
public enum FirstByteMode
{
    Retransmit,
    Hold,
}
