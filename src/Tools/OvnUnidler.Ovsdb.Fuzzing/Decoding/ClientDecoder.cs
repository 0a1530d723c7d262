using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// The client's decode path for one case: the bytes, read in the case's chunks, go through the
/// connection's framer and message reader into a <see cref="ClientSession"/>. A documented error
/// ends the case as rejected (the client would reset the connection there); anything else escapes.
/// </summary>
public sealed partial class ClientDecoder : IDecodeTarget
{
    private readonly Dictionary<(string Database, string Table), Dictionary<string, OvsdbColumnKind>> kinds = [];

    public ClientDecoder(SeedCorpus corpus)
    {
        // Read once for all cases: the kinds do not change unless a case's own get_schema reply changes them.
        var schemas = PlannedSchemas.From(corpus);
        foreach (var call in CallPlan.Monitors)
        {
            if (schemas.TryGetValue(call.Database!, out var schema))
            {
                var table = PlannedMonitors.Create(call).Table;
                kinds[(call.Database!, table)] = MonitoredColumns.KindsOf(schema, call.Database!, table);
            }
        }
    }

    public async Task<CaseOutcome> RunAsync(FuzzCase fuzzCase, CaseProgress progress, CancellationToken cancellationToken)
    {
        var session = new ClientSession(kinds);
        try
        {
            if (fuzzCase.Transport == DecodeTransport.Connection)
            {
                await DecodeOverConnectionAsync(fuzzCase, session, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                DecodeDirect(fuzzCase, session, progress);
            }
        }
        catch (Exception exception) when (DocumentedErrors.IsDocumented(exception))
        {
            return CaseOutcome.Rejected(session.Stage, exception);
        }

        return session.FirstCallError ?? CaseOutcome.Accepted;
    }

    /// <summary>
    /// JsonRpcConnection's read loop on the calling thread: the same framer with the calls' sinks
    /// (streaming from the case's threshold on), then each message handled as HandleAsync does.
    /// </summary>
    private static void DecodeDirect(FuzzCase fuzzCase, ClientSession session, CaseProgress progress)
    {
        var framer = new JsonStreamFramer(sinkFor: session.SinkFor, streamThreshold: fuzzCase.StreamThreshold);
        var position = 0;
        foreach (var size in fuzzCase.Chunks)
        {
            fuzzCase.Bytes.AsSpan(position, size).CopyTo(framer.GetWriteMemory(size).Span);
            framer.Advance(size);
            position += size;
            progress.TookIn(size);
            session.Stage = "frame";
            while (framer.TryRead(out var message))
            {
                if (message.IsResponse)
                {
                    session.OnResponse(message);
                }
                else if (message.IsNotification)
                {
                    session.OnNotification(message);
                }
                else
                {
                    session.OnRequest(message);
                }

                progress.Handled();
                session.Stage = "frame";
            }
        }

        if (framer.BufferedBytes > 0)
        {
            session.Stage = "end of stream";
            throw new OvsdbConnectionException($"the server closed the connection in the middle of a message ({framer.BufferedBytes} bytes unread)");
        }
    }
}
