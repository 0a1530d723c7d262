using System.Text.Json;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// Walks table-updates2 ({table: {uuid: row-update}}, ovsdb-server(7) update2) held whole, with a
/// forward-only reader, and hands each row-update to a sink: the path for notifications and for
/// replies small enough (or in an unusual member order) not to be streamed.
/// </summary>
public static class TableUpdatesWalker
{
    /// <summary>
    /// The rows of a response to a call with a sink: those of a response that was not streamed go to
    /// the sink now (a streamed one has handed them over already; an error reply has none).
    /// </summary>
    public static void WalkResponse(JsonRpcMessage response, IJsonRpcResultSink sink)
    {
        if (!response.IsStreamed && response.Error is null)
        {
            WalkResult(response.Result, sink);
        }
    }

    /// <summary>A monitor reply's result, shaped as the sink's <see cref="IJsonRpcResultSink.TableUpdatesIndex"/> says.</summary>
    public static void WalkResult(ReadOnlyMemory<byte> result, IJsonRpcResultSink sink)
    {
        if (sink.TableUpdatesIndex < 0)
        {
            WalkTableUpdates(result, sink);
            return;
        }

        var elements = ArrayElements(result, "monitor reply result");
        if (elements.Count <= sink.TableUpdatesIndex)
        {
            throw new OvsdbProtocolException($"a monitor reply result has {elements.Count} elements, expected {sink.TableUpdatesIndex + 1}");
        }

        for (var index = 0; index < sink.TableUpdatesIndex; index++)
        {
            sink.OnResultElement(index, elements[index].Span);
        }

        WalkTableUpdates(elements[sink.TableUpdatesIndex], sink);
    }

    public static void WalkTableUpdates(ReadOnlyMemory<byte> tableUpdates, IJsonRpcResultSink sink)
    {
        try
        {
            var reader = new Utf8JsonReader(tableUpdates.Span);
            Expect(ref reader, JsonTokenType.StartObject, "table-updates");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var table = reader.GetString()!;
                reader.Read();
                Expect(ref reader, JsonTokenType.StartObject, $"table-update of {table}", read: false);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var uuid = RowUuid.Read(ref reader, table);
                    reader.Read();
                    Expect(ref reader, JsonTokenType.StartObject, $"row-update of {table} row {uuid}", read: false);
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    sink.OnRowUpdate(table, uuid, tableUpdates[start..(int)reader.BytesConsumed]);
                }
            }
        }
        catch (JsonException exception)
        {
            throw new OvsdbProtocolException($"malformed table-updates: {exception.Message}", exception);
        }
    }

    /// <summary>The elements of a JSON array, as byte ranges.</summary>
    public static List<ReadOnlyMemory<byte>> ArrayElements(ReadOnlyMemory<byte> array, string what)
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        try
        {
            var reader = new Utf8JsonReader(array.Span);
            Expect(ref reader, JsonTokenType.StartArray, what);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                elements.Add(array[start..(int)reader.BytesConsumed]);
            }
        }
        catch (JsonException exception)
        {
            throw new OvsdbProtocolException($"malformed {what}: {exception.Message}", exception);
        }

        return elements;
    }

    /// <summary>A JSON string element, or a protocol error naming what it should have been.</summary>
    public static string ReadString(ReadOnlyMemory<byte> json, string what)
    {
        try
        {
            var reader = new Utf8JsonReader(json.Span);
            if (reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        throw new OvsdbProtocolException($"{what} must be a string, found {JsonRpcMessage.Describe(json.Span)}");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what, bool read = true)
    {
        if ((read && !reader.Read()) || reader.TokenType != type)
        {
            throw new OvsdbProtocolException($"{what}: expected {type}, found {reader.TokenType}");
        }
    }
}
