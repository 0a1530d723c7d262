using System.Text;
using System.Text.Json;
using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>One connection of the <see cref="FakeOvsdbServer"/>: reads requests, answers or misbehaves.</summary>
public sealed class FakeSession(Stream stream, CancellationToken stopping) : IDisposable
{
    public const string ZeroTransactionId = "00000000-0000-0000-0000-000000000000";

    private static readonly Lazy<string> SouthboundSchema = new(() => File.ReadAllText(OvnSchemas.Southbound));
    private readonly List<byte> pending = [];

    /// <summary>Answer the client's echo requests (a silent peer does not).</summary>
    public bool AnswersEcho { get; set; } = true;

    /// <summary>The monitor id the client used, once it asked to monitor.</summary>
    public string? MonitorId { get; private set; }

    /// <summary>The next request, parsed; answers echo requests on the way.</summary>
    public async Task<JsonElement> ReadRequestAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            if (TryTakeMessage() is { } message)
            {
                using var document = JsonDocument.Parse(message);
                var request = document.RootElement.Clone();
                if (AnswersEcho && request.TryGetProperty("method", out var method) && method.GetString() == "echo")
                {
                    await SendAsync($$"""{"id":{{request.GetProperty("id").GetRawText()}},"result":{{request.GetProperty("params").GetRawText()}},"error":null}""");
                    continue;
                }

                return request;
            }

            var read = await stream.ReadAsync(buffer, stopping).AsTask().WaitAsync(Deadline.Long, stopping);
            if (read == 0)
            {
                throw new IOException("the client closed the connection");
            }

            pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    public async Task SendAsync(string json)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(json), stopping);
        await stream.FlushAsync(stopping);
    }

    /// <summary>Sends in small pieces with a pause between, so the client reads a message across many reads.</summary>
    public async Task SendInPiecesAsync(string json, int pieceSize)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        for (var offset = 0; offset < bytes.Length; offset += pieceSize)
        {
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(pieceSize, bytes.Length - offset)), stopping);
            await stream.FlushAsync(stopping);
            await Task.Yield();
        }
    }

    /// <summary>
    /// Answers the client's session start as a standalone server without _Server would: the schema,
    /// then the monitor request with <paramref name="rowsJson"/> (a {uuid: {"initial": row}} object).
    /// </summary>
    public async Task AnswerUntilMonitoredAsync(string rowsJson, Func<long, string, string>? monitorReply = null, int? pieceSize = null) =>
        await AnswerUntilMonitoredAsync(rowsJson, monitorReply, pieceSize, midway: null);

    /// <summary>
    /// As above; with <paramref name="midway"/> the monitor reply is sent in two halves and the second
    /// only once it returns (which may instead end the session: the reply is then cut off).
    /// </summary>
    public async Task AnswerUntilMonitoredAsync(string rowsJson, Func<long, string, string>? monitorReply, int? pieceSize, Func<Task<bool>>? midway)
    {
        while (MonitorId is null)
        {
            var request = await ReadRequestAsync();
            var id = request.GetProperty("id").GetInt64();
            var method = request.GetProperty("method").GetString();
            var parameters = request.GetProperty("params");
            switch (method)
            {
                case "get_schema" when parameters[0].GetString() == "OVN_Southbound":
                    await SendAsync($$"""{"id":{{id}},"result":{{SouthboundSchema.Value}},"error":null}""");
                    break;
                case "get_schema":
                    await SendAsync($$$"""{"id":{{{id}}},"result":null,"error":{"error":"unknown database","details":"this fake serves OVN_Southbound only"}}""");
                    break;
                case "monitor_cond_since":
                    MonitorId = parameters[1].GetString();
                    var reply = monitorReply?.Invoke(id, rowsJson)
                        ?? $$$"""{"id":{{{id}}},"result":[false,"{{{ZeroTransactionId}}}",{{{TableUpdates(rowsJson)}}}],"error":null}""";
                    if (midway is not null)
                    {
                        await SendAsync(reply[..(reply.Length / 2)]);
                        if (!await midway())
                        {
                            return;
                        }

                        reply = reply[(reply.Length / 2)..];
                    }

                    await (pieceSize is { } size ? SendInPiecesAsync(reply, size) : SendAsync(reply));
                    break;
                default:
                    throw new InvalidOperationException($"the fake did not expect {method} before the monitor");
            }
        }
    }

    /// <summary>Answers echo requests until the client goes away or the test ends.</summary>
    public async Task IdleAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            await ReadRequestAsync();
        }
    }

    public void Dispose() => stream.Dispose();

    public static string Row(Guid uuid, string rowJson, string kind = "initial") => "\"" + uuid + "\":{\"" + kind + "\":" + rowJson + "}";

    /// <summary>table-updates2 of Controller_Event holding these row-updates.</summary>
    public static string TableUpdates(string rowsJson) => "{\"Controller_Event\":{" + rowsJson + "}}";

    public static string Event(long seqNum) =>
        $$$"""{"event_type":"empty_lb_backends","seq_num":{{{seqNum}}},"event_info":["map",[["protocol","tcp"],["vip","10.0.0.{{{seqNum % 250}}}:80"]]]}""";

    private byte[]? TryTakeMessage()
    {
        var depth = 0;
        var inString = false;
        var escaped = false;
        for (var index = 0; index < pending.Count; index++)
        {
            var b = pending[index];
            if (inString)
            {
                (escaped, inString) = escaped ? (false, true) : b == '\\' ? (true, true) : (false, b != '"');
                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']' when --depth == 0:
                    var message = pending.GetRange(0, index + 1).ToArray();
                    pending.RemoveRange(0, index + 1);
                    return message;
            }
        }

        return null;
    }
}
