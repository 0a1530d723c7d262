namespace OvnUnidler.Ovsdb.Fuzzing.Mutation;

/// <summary>How a case's bytes reach the client's decoder.</summary>
public enum DecodeTransport
{
    /// <summary>
    /// The connection's read loop, step for step, on the calling thread: the framer (with the case's
    /// streaming threshold, so small replies are streamed too), then each message as the connection
    /// hands it on.
    /// </summary>
    Direct,

    /// <summary>A real <see cref="Protocol.JsonRpcConnection"/> reading an in-memory stream, chunk by chunk.</summary>
    Connection,
}
