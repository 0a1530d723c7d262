using System.Globalization;
using System.Text.Json;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// Reads one response while it is still arriving and hands each row-update of its result to the
/// call's sink. It commits only whole tokens and whole rows, so the caller may drop the bytes it
/// consumed and feed the rest again with more appended. It streams only the shape ovsdb-server
/// writes, {"id":N,"result":..,"error":null} with the id first; anything else is declined before a
/// byte is consumed and the message is then read whole.
/// </summary>
internal sealed class StreamingResponseParser(Func<long, IJsonRpcResultSink?> sinkFor)
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = JsonRpcMessage.MaxDepth };

    private JsonReaderState state = new(Options);
    private Step step = Step.Head;
    private IJsonRpcResultSink? sink;
    private string? id;
    private int element;
    private string? table;
    private Guid row;
    private bool tailIsError;
    private JsonElement? error;

    private enum Step
    {
        Head,
        ResultStart,
        ResultElement,
        Tables,
        TableOpen,
        Rows,
        RowValue,
        ResultRest,
        Tail,
        TailValue,
        Done,
    }

    public bool Declined { get; private set; }

    /// <summary>The response, once its closing brace was read.</summary>
    public JsonRpcMessage? Message { get; private set; }

    /// <summary>Parses what it can of <paramref name="data"/> and returns how many bytes it consumed.</summary>
    public int Feed(ReadOnlyMemory<byte> data, bool isFinalBlock)
    {
        try
        {
            return FeedCore(data, isFinalBlock);
        }
        catch (JsonException exception)
        {
            throw new OvsdbProtocolException($"malformed JSON-RPC response: {exception.Message}", exception);
        }
    }

    private int FeedCore(ReadOnlyMemory<byte> data, bool isFinalBlock)
    {
        var span = data.Span;
        var reader = new Utf8JsonReader(span, isFinalBlock, state);
        var committed = 0;
        var headStep = 0;
        long headId = 0;
        while (step != Step.Done && reader.Read())
        {
            int valueStart;
            switch (step)
            {
                case Step.Head:
                    // Nothing is committed before the decision, so a declined message is still whole.
                    switch (headStep)
                    {
                        case 0 when reader.TokenType == JsonTokenType.StartObject:
                        // An escaped member name is not what ovsdb-server writes: declined, read whole, and checked there.
                        case 1 when reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped && reader.ValueTextEquals("id"u8):
                        case 2 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out headId):
                            headStep++;
                            continue;
                        case 3 when reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped && reader.ValueTextEquals("result"u8)
                            && sinkFor(headId) is { } found:
                            sink = found;
                            id = headId.ToString(CultureInfo.InvariantCulture);
                            step = Step.ResultStart;
                            break;
                        default:
                            Declined = true;
                            return 0;
                    }

                    break;
                case Step.ResultStart:
                    step = reader.TokenType switch
                    {
                        JsonTokenType.Null => Step.Tail,
                        JsonTokenType.StartArray when sink!.TableUpdatesIndex >= 0 => Step.ResultElement,
                        JsonTokenType.StartObject when sink!.TableUpdatesIndex < 0 => Step.Tables,
                        _ => throw new OvsdbProtocolException(
                            $"the result of response {id} must be {(sink!.TableUpdatesIndex < 0 ? "an object of table-updates" : "an array")}, found {reader.TokenType}"),
                    };
                    break;
                case Step.ResultElement when reader.TokenType == JsonTokenType.EndArray:
                    throw new OvsdbProtocolException($"the result of response {id} ends before its table-updates (element {sink!.TableUpdatesIndex})");
                case Step.ResultElement when element < sink!.TableUpdatesIndex:
                    valueStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        return committed;
                    }

                    JsonText.EnsureValid(span[valueStart..(int)reader.BytesConsumed], $"element {element} of the result of response {id}");
                    sink.OnResultElement(element++, span[valueStart..(int)reader.BytesConsumed]);
                    break;
                case Step.ResultElement:
                    step = reader.TokenType == JsonTokenType.StartObject
                        ? Step.Tables
                        : throw new OvsdbProtocolException($"table-updates in response {id} must be an object, found {reader.TokenType}");
                    break;
                case Step.Tables when reader.TokenType == JsonTokenType.PropertyName:
                    table = JsonText.ReadString(ref reader, $"a table name in response {id}");
                    step = Step.TableOpen;
                    break;
                case Step.Tables:
                    step = sink!.TableUpdatesIndex >= 0 ? Step.ResultRest : Step.Tail;
                    break;
                case Step.TableOpen:
                    step = reader.TokenType == JsonTokenType.StartObject
                        ? Step.Rows
                        : throw new OvsdbProtocolException($"table-update of {table} must be an object, found {reader.TokenType}");
                    break;
                case Step.Rows when reader.TokenType == JsonTokenType.PropertyName:
                    row = RowUuid.Read(ref reader, table);
                    step = Step.RowValue;
                    break;
                case Step.Rows:
                    step = Step.Tables;
                    break;
                case Step.RowValue:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new OvsdbProtocolException($"row-update of {table} row {row} must be an object, found {reader.TokenType}");
                    }

                    valueStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        return committed;
                    }

                    // Rows go to the sink as they come, not as one message: each is checked on its own.
                    JsonText.EnsureValid(span[valueStart..(int)reader.BytesConsumed], $"row-update of {table} row {row}");
                    sink!.OnRowUpdate(table!, row, data[valueStart..(int)reader.BytesConsumed]);
                    step = Step.Rows;
                    break;
                case Step.ResultRest when reader.TokenType == JsonTokenType.EndArray:
                    step = Step.Tail;
                    break;
                case Step.ResultRest:
                    // Elements after the table-updates are not in the protocol; they are skipped.
                    if (!reader.TrySkip())
                    {
                        return committed;
                    }

                    break;
                case Step.Tail when reader.TokenType == JsonTokenType.PropertyName:
                    tailIsError = reader.ValueIsEscaped
                        ? JsonText.ReadString(ref reader, $"a member name of response {id}") == "error"
                        : reader.ValueTextEquals("error"u8);
                    step = Step.TailValue;
                    break;
                case Step.Tail:
                    Message = JsonRpcMessage.StreamedResponse(id!, error);
                    step = Step.Done;
                    break;
                case Step.TailValue:
                    valueStart = (int)reader.TokenStartIndex;
                    var isNull = reader.TokenType == JsonTokenType.Null;
                    if (!reader.TrySkip())
                    {
                        return committed;
                    }

                    if (tailIsError && !isNull)
                    {
                        JsonText.EnsureValid(span[valueStart..(int)reader.BytesConsumed], $"the error of response {id}");
                        using var document = JsonDocument.Parse(data[valueStart..(int)reader.BytesConsumed]);
                        error = document.RootElement.Clone();
                    }

                    step = Step.Tail;
                    break;
            }

            committed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }

        return committed;
    }
}
