using System.Text.Json;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// One JSON-RPC 1.0 message (RFC 7047 section 4): a request (method and id), a notification (method,
/// id null) or a response (result or error, and id). Only the top level is read here; params and
/// result stay bytes in the frame until their consumer parses them, so a large reply is never held
/// twice. A streamed response (<see cref="IsStreamed"/>) has handed its result to the call's sink.
/// </summary>
public sealed class JsonRpcMessage
{
    /// <summary>How deep a message may nest; whatever the client parses again from a message allows as much.</summary>
    internal const int MaxDepth = 256;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth };

    private JsonRpcMessage(JsonFrame frame) => Frame = frame;

    public JsonFrame Frame { get; }

    public string? Method { get; private set; }

    /// <summary>The id as JSON text ("1", "\"echo\""), or null for a notification.</summary>
    public string? Id { get; private set; }

    public long? NumericId => Id is not null && long.TryParse(Id, out var id) ? id : null;

    /// <summary>The params array of a request or notification ("[]" when absent).</summary>
    public ReadOnlyMemory<byte> Params { get; private set; }

    public ReadOnlyMemory<byte> Result { get; private set; }

    /// <summary>The error member when it is not null.</summary>
    public JsonElement? Error { get; private set; }

    /// <summary>The result went, row by row, to the call's <see cref="IJsonRpcResultSink"/> and is not in <see cref="Result"/>.</summary>
    public bool IsStreamed { get; private set; }

    public bool IsRequest => Method is not null && Id is not null;

    public bool IsNotification => Method is not null && Id is null;

    public bool IsResponse => Method is null;

    public static JsonRpcMessage Parse(JsonFrame frame)
    {
        var message = new JsonRpcMessage(frame);
        var bytes = frame.Memory;
        var hasId = false;
        var hasResult = false;
        var hasError = false;
        JsonText.EnsureValid(bytes.Span, "a JSON-RPC message");
        try
        {
            var reader = new Utf8JsonReader(bytes.Span, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new OvsdbProtocolException($"a JSON-RPC message must be an object, found {Describe(bytes.Span)}");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                var token = reader.TokenType;
                reader.Skip();
                var value = bytes[valueStart..(int)reader.BytesConsumed];
                switch (name)
                {
                    case "method":
                        message.Method = token == JsonTokenType.String ? reader.GetString()
                            : throw new OvsdbProtocolException($"method is not a string: {Describe(value.Span)}");
                        break;
                    case "id":
                        hasId = true;
                        message.Id = token == JsonTokenType.Null ? null : System.Text.Encoding.UTF8.GetString(value.Span);
                        break;
                    case "params":
                        message.Params = token == JsonTokenType.StartArray ? value
                            : throw new OvsdbProtocolException($"params is not an array: {Describe(value.Span)}");
                        break;
                    case "result":
                        hasResult = true;
                        message.Result = value;
                        break;
                    case "error":
                        hasError = true;
                        if (token != JsonTokenType.Null)
                        {
                            using var error = JsonDocument.Parse(value);
                            message.Error = error.RootElement.Clone();
                        }

                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed != bytes.Length)
            {
                throw new OvsdbProtocolException("a JSON-RPC message must be exactly one object");
            }
        }
        catch (JsonException exception)
        {
            throw new OvsdbProtocolException($"malformed JSON-RPC message: {exception.Message}", exception);
        }

        if (message.Method is null)
        {
            if (!hasId)
            {
                throw new OvsdbProtocolException($"a JSON-RPC message has neither method nor id: {Describe(bytes.Span)}");
            }

            if (!hasResult && !hasError)
            {
                throw new OvsdbProtocolException($"response {message.Id} has neither result nor error");
            }

            if (message.Error is null && !hasResult)
            {
                throw new OvsdbProtocolException($"response {message.Id} has a null error and no result");
            }
        }
        else if (message.Params.IsEmpty)
        {
            message.Params = "[]"u8.ToArray();
        }

        return message;
    }

    /// <summary>An error reply of the call to <paramref name="method"/> throws <see cref="OvsdbErrorException"/>.</summary>
    public void ThrowIfError(string method)
    {
        if (Error is { } error)
        {
            var (text, details) = DescribeError(error);
            throw new OvsdbErrorException(text, details, method);
        }
    }

    internal static JsonRpcMessage StreamedResponse(string id, JsonElement? error) =>
        new(default) { Id = id, Error = error, IsStreamed = true };

    /// <summary>Error text of an error reply: a string, or an object with error and details (RFC 7047 section 3.1).</summary>
    public static (string Error, string? Details) DescribeError(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => (error.GetString() ?? "error", null),
        JsonValueKind.Object => (
            error.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? "error" : error.GetRawText(),
            error.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null),
        _ => (error.GetRawText(), null),
    };

    /// <summary>The start of some JSON, for error messages.</summary>
    internal static string Describe(ReadOnlySpan<byte> json)
    {
        var text = System.Text.Encoding.UTF8.GetString(json[..Math.Min(json.Length, 80)]);
        return json.Length > 80 ? text + "…" : text;
    }
}
