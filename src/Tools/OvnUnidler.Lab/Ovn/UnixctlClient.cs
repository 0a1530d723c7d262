using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;

namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// A connection to an OVS daemon's control socket, speaking what ovs-appctl speaks: JSON-RPC 1.0
/// requests {"id","method","params":[strings]} and replies {"id","result"} or {"id","error"}, back
/// to back on the stream with no delimiter (lib/unixctl.c, lib/jsonrpc.c). One process spawn of
/// ovs-appctl costs ~5 ms; a kept connection answers in well under that (docs/ovn-facts.md).
/// Calls are serialised: the daemon answers one request at a time and replies carry no routing
/// beyond the id.
/// </summary>
public sealed class UnixctlClient(string socketPath) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private Socket? socket;
    private NetworkStream? stream;
    private byte[] buffer = new byte[4096];
    private int buffered;
    private long lastId;

    public string SocketPath { get; } = socketPath;

    /// <summary>Runs one command and returns its result text; throws <see cref="UnixctlException"/> on an error reply.</summary>
    public async Task<string> CallAsync(string method, IReadOnlyList<string> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = stream ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
            var id = ++lastId;
            try
            {
                await connection.WriteAsync(Encode(id, method, parameters), cancellationToken).ConfigureAwait(false);
                var reply = await ReceiveAsync(connection, cancellationToken).ConfigureAwait(false);
                if (reply.Id != id)
                {
                    throw new IOException($"{SocketPath} answered request {id} with id {reply.Id}");
                }

                return reply.Error is { } error ? throw new UnixctlException(method, error) : reply.Result ?? string.Empty;
            }
            catch (Exception exception) when (exception is not UnixctlException)
            {
                // Cancelled or broken half way: what is left on the stream belongs to no caller.
                Disconnect();
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Disconnect();
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<NetworkStream> ConnectAsync(CancellationToken cancellationToken)
    {
        var connecting = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await connecting.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            connecting.Dispose();
            throw;
        }

        socket = connecting;
        buffered = 0;
        return stream = new NetworkStream(connecting, ownsSocket: false);
    }

    private void Disconnect()
    {
        stream?.Dispose();
        socket?.Dispose();
        stream = null;
        socket = null;
        buffered = 0;
    }

    private static ReadOnlyMemory<byte> Encode(long id, string method, IReadOnlyList<string> parameters)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("method", method);
            writer.WriteStartArray("params");
            foreach (var parameter in parameters)
            {
                writer.WriteStringValue(parameter);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return output.WrittenMemory;
    }

    private async Task<Reply> ReceiveAsync(NetworkStream connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeReply(out var reply))
            {
                return reply;
            }

            if (buffered == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await connection.ReadAsync(buffer.AsMemory(buffered), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{SocketPath} closed the connection before replying");
            }

            buffered += read;
        }
    }

    /// <summary>Takes one whole JSON object off the front of the buffer, if it has arrived.</summary>
    private bool TryTakeReply(out Reply reply)
    {
        reply = default;
        var reader = new Utf8JsonReader(buffer.AsSpan(0, buffered), isFinalBlock: false, state: default);
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType is not JsonTokenType.StartObject)
        {
            throw new JsonException($"{SocketPath} sent a {reader.TokenType} where a JSON-RPC object was expected");
        }

        if (!reader.TrySkip())
        {
            return false;
        }

        var length = (int)reader.BytesConsumed;
        using (var document = JsonDocument.Parse(buffer.AsMemory(0, length)))
        {
            var root = document.RootElement;
            reply = new Reply(
                root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.Number ? id.GetInt64() : null,
                root.TryGetProperty("result", out var result) ? TextOf(result) : null,
                root.TryGetProperty("error", out var error) ? TextOf(error) : null);
        }

        buffer.AsSpan(length, buffered - length).CopyTo(buffer);
        buffered -= length;
        return true;
    }

    private static string? TextOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        _ => element.GetRawText(),
    };

    private readonly record struct Reply(long? Id, string? Result, string? Error);
}
