using System.Buffers.Text;
using System.Text.Json;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>Reads a row uuid (a table-update's member name) straight from its UTF-8 bytes, without a string per row.</summary>
internal static class RowUuid
{
    public static Guid Read(ref Utf8JsonReader reader, string? table)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence
            && Utf8Parser.TryParse(reader.ValueSpan, out Guid uuid, out var consumed, 'D') && consumed == reader.ValueSpan.Length)
        {
            return uuid;
        }

        var text = JsonText.ReadString(ref reader, $"a row uuid in {table}");
        return Guid.TryParse(text, out uuid) ? uuid : throw new OvsdbProtocolException($"row uuid '{text}' in {table} is not a uuid");
    }
}
