using System.Text.Json;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>
/// Walks table-updates2 ({table: {uuid: {"initial"|"insert"|"modify"|"delete": row}}}) with a
/// forward-only reader and hands out each row's bytes, so a reply of 100,000 rows is never
/// turned into one document.
/// </summary>
internal static class TableUpdateReader
{
    public readonly record struct RowUpdate(Guid Uuid, string Kind, ReadOnlyMemory<byte> Row);

    public static List<RowUpdate> Read(ReadOnlyMemory<byte> tableUpdates, string table)
    {
        var updates = new List<RowUpdate>();
        var reader = new Utf8JsonReader(tableUpdates.Span);
        Expect(ref reader, JsonTokenType.StartObject, "table-updates2");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTable = reader.ValueTextEquals(table);
            reader.Read();
            if (!isTable)
            {
                reader.Skip();
                continue;
            }

            Expect(ref reader, JsonTokenType.StartObject, "table-update2", read: false);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var uuidText = reader.GetString();
                if (!Guid.TryParse(uuidText, out var uuid))
                {
                    throw new OvsdbProtocolException($"row uuid '{uuidText}' in {table} is not a uuid");
                }

                reader.Read();
                Expect(ref reader, JsonTokenType.StartObject, "row-update2", read: false);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var kind = reader.GetString()!;
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    updates.Add(new RowUpdate(uuid, kind, tableUpdates[start..(int)reader.BytesConsumed]));
                }
            }
        }

        return updates;
    }

    /// <summary>The elements of a JSON array, as byte ranges.</summary>
    public static List<ReadOnlyMemory<byte>> ArrayElements(ReadOnlyMemory<byte> array)
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        var reader = new Utf8JsonReader(array.Span);
        Expect(ref reader, JsonTokenType.StartArray, "params");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            elements.Add(array[start..(int)reader.BytesConsumed]);
        }

        return elements;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what, bool read = true)
    {
        if ((read && !reader.Read()) || reader.TokenType != type)
        {
            throw new OvsdbProtocolException($"{what}: expected {type}, found {reader.TokenType}");
        }
    }
}
