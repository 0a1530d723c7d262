using System.Text.Json;
using System.Text.Unicode;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// JSON text exchanged between systems is UTF-8 (RFC 8259 section 8.1, which RFC 7047 builds on),
/// and a string escaping an unpaired surrogate ("\ud800") has no text (section 8.2). System.Text.Json
/// checks neither while it reads; it throws InvalidOperationException later, wherever a string is
/// materialised. The decoder checks every message (and every piece of a streamed reply) once, before
/// anything reads a string from it, so that such text is a protocol error and never reaches the readers.
/// </summary>
internal static class JsonText
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = JsonRpcMessage.MaxDepth };

    /// <summary>Throws <see cref="OvsdbProtocolException"/> when <paramref name="json"/> is not UTF-8 or escapes a lone surrogate.</summary>
    public static void EnsureValid(ReadOnlySpan<byte> json, string what)
    {
        if (!Utf8.IsValid(json))
        {
            throw new OvsdbProtocolException($"{what} is not valid UTF-8");
        }

        // Only \u escapes can make a string that is not text once unescaped; most messages have none.
        if (json.IndexOf("\\u"u8) < 0)
        {
            return;
        }

        var reader = new Utf8JsonReader(json, Options);
        try
        {
            while (reader.Read())
            {
                if (reader.ValueIsEscaped && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    ReadString(ref reader, what);
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is reported by the reader that parses the message.
        }
    }

    /// <summary>The current string or property name; text that is not UTF-8 or not UTF-16 once unescaped is a protocol error.</summary>
    public static string ReadString(ref Utf8JsonReader reader, string what)
    {
        if (!reader.HasValueSequence && !Utf8.IsValid(reader.ValueSpan))
        {
            throw new OvsdbProtocolException($"{what} is not valid UTF-8");
        }

        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            throw new OvsdbProtocolException($"{what} holds a string that is not text: {exception.Message}", exception);
        }
    }
}
