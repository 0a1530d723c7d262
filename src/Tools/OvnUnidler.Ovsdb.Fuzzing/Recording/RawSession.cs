using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Remotes;

namespace OvnUnidler.Ovsdb.Fuzzing.Recording;

/// <summary>
/// A bare JSON-RPC connection that keeps every byte the server sends exactly as it arrived: the
/// seed is the server's side of the conversation, not a re-serialisation of it. It answers the
/// server's echo as the client does, so an idle connection stays up.
/// </summary>
internal sealed class RawSession : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly Stream stream;
    private readonly MemoryStream captured = new();
    private readonly JsonStreamFramer framer = new();
    private readonly List<JsonRpcMessage> received = [];
    private readonly HashSet<int> taken = [];

    private RawSession(Stream stream) => this.stream = stream;

    /// <summary>Every byte received so far.</summary>
    public byte[] Captured => captured.ToArray();

    public static async Task<RawSession> ConnectAsync(string remote, CancellationToken cancellationToken) =>
        new(await StreamConnector.ConnectAsync(OvsdbRemote.Parse(remote), null, Wait, cancellationToken).ConfigureAwait(false));

    /// <summary>Sends the planned request with these params and returns its reply.</summary>
    public async Task<JsonRpcMessage> CallAsync(PlannedCall call, JsonArray parameters, CancellationToken cancellationToken)
    {
        await SendAsync(new JsonObject { ["method"] = call.Method, ["params"] = parameters, ["id"] = call.Id }, cancellationToken).ConfigureAwait(false);
        return await WaitForAsync(message => message.IsResponse && message.NumericId == call.Id, $"the reply to {call.Method} (id {call.Id})", cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The first message received (or still to come) that matches and was not waited for before.</summary>
    public async Task<JsonRpcMessage> WaitForAsync(Func<JsonRpcMessage, bool> match, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Wait);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            for (var index = 0; index < received.Count; index++)
            {
                if (!taken.Contains(index) && match(received[index]))
                {
                    taken.Add(index);
                    return received[index];
                }
            }

            int read;
            try
            {
                read = await stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the server sent no {what} within {Wait.TotalSeconds} s");
            }

            if (read == 0)
            {
                throw new IOException($"the server closed the connection before {what}");
            }

            captured.Write(buffer, 0, read);
            var memory = framer.GetWriteMemory(read);
            buffer.AsSpan(0, read).CopyTo(memory.Span);
            framer.Advance(read);
            while (framer.TryRead(out var message))
            {
                received.Add(message);
                if (message.IsRequest && message.Method == "echo")
                {
                    await SendAsync(ServerRequestReply.For(message), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The next update notification for <paramref name="monitorId"/>.</summary>
    public Task<JsonRpcMessage> WaitForUpdateAsync(string monitorId, CancellationToken cancellationToken) =>
        WaitForAsync(
            message => message.IsNotification && message.Method is "update2" or "update3" && MonitorUpdate.Parse(message).MonitorId == monitorId,
            $"update for {monitorId}",
            cancellationToken);

    public async ValueTask DisposeAsync() => await stream.DisposeAsync().ConfigureAwait(false);

    private async Task SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(JsonRpcConnection.Encode(message), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
