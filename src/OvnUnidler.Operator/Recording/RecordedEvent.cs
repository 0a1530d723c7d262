using System.Text.Json;
using System.Text.Json.Serialization;

namespace OvnUnidler.Operator.Recording;

/// <summary>One Controller_Event row as `record` captured it, one JSON object per line.</summary>
public sealed record RecordedEvent(
    [property: JsonPropertyName("offset_ms")] double OffsetMilliseconds,
    [property: JsonPropertyName("uuid")] Guid Uuid,
    [property: JsonPropertyName("chassis")] Guid? Chassis,
    [property: JsonPropertyName("seq_num")] long SeqNum,
    [property: JsonPropertyName("event_type")] string EventType,
    [property: JsonPropertyName("event_info")] IReadOnlyDictionary<string, string> EventInfo)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);

    public static RecordedEvent Parse(string line, int lineNumber)
    {
        try
        {
            return JsonSerializer.Deserialize<RecordedEvent>(line, Json)
                ?? throw new FormatException($"line {lineNumber}: null");
        }
        catch (JsonException exception)
        {
            throw new FormatException($"line {lineNumber} is not a recorded event: {exception.Message}", exception);
        }
    }

    public static async Task<IReadOnlyList<RecordedEvent>> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                events.Add(Parse(line, number));
            }
        }

        return events;
    }
}
