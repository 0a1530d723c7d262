namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// One wake as the client feels it, in artifacts/benchmarks/first-byte.json: seconds from the
/// client's first SYN (TCP) or datagram (UDP) to the new pod's readiness (the lab's probe) and to
/// the first byte of the answer. Mode "retransmit": the first packet is dropped and the client's
/// own retransmit connects; later modes (e.g. a held connection) add runs to the same file.
/// </summary>
public sealed record FirstByteRun(
    string Mode, string Protocol, double PodStartSeconds, int? SynLinearTimeouts, double ReadyAfterSeconds, double FirstByteAfterSeconds);
