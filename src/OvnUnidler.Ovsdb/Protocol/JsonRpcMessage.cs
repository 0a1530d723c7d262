using System.Text.Json;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// One JSON-RPC 1.0 message (RFC 7047 section 4): a request (method and id), a notification (method,
/// id null) or a response (result or error, and id). Only the top level is read here; params and
/// result stay bytes in the frame until their consumer parses them, so a large monitor reply is
/// never held twice.
/// </summary>
public sealed class JsonRpcMessage
{
    private JsonRpcMessage(JsonFrame frame) => Frame = frame;

    public JsonFrame Frame { get; }

    public string? Method { get; private set; }

    /// <summary>The id as JSON text ("1", "\"echo\""), or null for a notification.</summary>
    public string? Id { get; private set; }

    public long? NumericId => Id is not null && long.TryParse(Id, out var id) ? id : null;

    public ReadOnlyMemory<byte> Params { get; private set; }

    public ReadOnlyMemory<byte> Result { get; private set; }

    /// <summary>The error member when it is not null.</summary>
    public JsonElement? Error { get; private set; }

    public bool IsRequest => Method is not null && Id is not null;

    public bool IsNotification => Method is not null && Id is null;

    public bool IsResponse => Method is null;

    public static JsonRpcMessage Parse(JsonFrame frame)
    {
        var message = new JsonRpcMessage(frame);
        var bytes = frame.Memory;
        try
        {
            var reader = new Utf8JsonReader(bytes.Span, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new OvsdbProtocolException("a JSON-RPC message must be an object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                var valueEnd = (int)reader.BytesConsumed;
                var value = bytes[valueStart..valueEnd];
                switch (name)
                {
                    case "method":
                        message.Method = reader.TokenType == JsonTokenType.String ? reader.GetString()
                            : throw new OvsdbProtocolException("method is not a string");
                        break;
                    case "id":
                        message.Id = reader.TokenType == JsonTokenType.Null ? null : System.Text.Encoding.UTF8.GetString(value.Span);
                        break;
                    case "params":
                        message.Params = value;
                        break;
                    case "result":
                        message.Result = value;
                        break;
                    case "error":
                        if (reader.TokenType != JsonTokenType.Null)
                        {
                            using var error = JsonDocument.Parse(value);
                            message.Error = error.RootElement.Clone();
                        }

                        break;
                }
            }

            return message;
        }
        catch (JsonException exception)
        {
            throw new OvsdbProtocolException($"malformed JSON-RPC message: {exception.Message}", exception);
        }
    }

    /// <summary>Error text of an error reply: a string, or an object with error and details (RFC 7047 section 3.1).</summary>
    public static (string Error, string? Details) DescribeError(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => (error.GetString() ?? "error", null),
        JsonValueKind.Object => (
            error.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? "error" : error.GetRawText(),
            error.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null),
        _ => (error.GetRawText(), null),
    };
}
