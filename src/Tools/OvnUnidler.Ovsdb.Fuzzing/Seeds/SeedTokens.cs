using System.Text.Json;

namespace OvnUnidler.Ovsdb.Fuzzing.Seeds;

/// <summary>
/// The JSON values and member names of a seed, found once so that mutations can swap whole values
/// (a number where a map was, one row-update for another): valid JSON of the wrong shape reaches the
/// layers behind the parser, which flipped bytes rarely do.
/// </summary>
public static class SeedTokens
{
    /// <summary>The spans ordered by where they start (a container before what it holds).</summary>
    public static IReadOnlyList<TokenSpan> Find(byte[] bytes)
    {
        var spans = new List<TokenSpan>();
        var open = new Stack<int>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 1024 });
        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                var end = (int)reader.BytesConsumed;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        open.Push(start);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        var first = open.Pop();
                        spans.Add(new TokenSpan(first, end - first, IsName: false, open.Count));
                        break;
                    case JsonTokenType.PropertyName:
                        // The quoted name only, not the colon the reader may have consumed with it.
                        spans.Add(new TokenSpan(start, reader.ValueSpan.Length + 2, IsName: true, open.Count));
                        break;
                    default:
                        spans.Add(new TokenSpan(start, end - start, IsName: false, open.Count));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A seed is whole JSON from a real server; a recording cut short keeps the values before the cut.
        }

        spans.Sort((left, right) => left.Start.CompareTo(right.Start));
        return spans;
    }

    /// <summary>The whole messages of a seed (its depth-0 values), in order.</summary>
    public static IReadOnlyList<TokenSpan> Messages(IReadOnlyList<TokenSpan> spans) => [.. spans.Where(span => span.Depth == 0)];
}
