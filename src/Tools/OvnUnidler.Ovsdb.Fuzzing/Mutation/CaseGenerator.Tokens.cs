using System.Text;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;

namespace OvnUnidler.Ovsdb.Fuzzing.Mutation;

public sealed partial class CaseGenerator
{
    /// <summary>
    /// One to four edits of whole values and member names. They are chosen on the seed's token
    /// spans and applied from the last to the first, so each edit's offsets are still those of the seed.
    /// </summary>
    private byte[] MutateTokens(CaseRandom random, byte[] bytes, IReadOnlyList<TokenSpan> spans, List<string> steps)
    {
        if (spans.Count == 0)
        {
            return bytes;
        }

        var source = bytes;
        var chosen = new List<TokenSpan>();
        var count = random.Count(4);
        for (var attempt = 0; attempt < count * 3 && chosen.Count < count; attempt++)
        {
            // Deep tokens (row columns, set elements) are most of a seed; pick the depth first so
            // ids, results and params are edited as often.
            var span = random.Chance(0.5) ? spans[random.Next(spans.Count)] : AtDepth(random, spans, random.Next(1, 6));
            var (start, end) = Footprint(spans, span);
            if (!chosen.Any(other => Footprint(spans, other) is var (otherStart, otherEnd) && start <= otherEnd && otherStart <= end))
            {
                chosen.Add(span);
            }
        }

        foreach (var span in chosen.OrderByDescending(span => span.Start))
        {
            bytes = span.IsName ? MutateName(random, bytes, spans, span, steps) : MutateValue(random, bytes, source, spans, span, steps);
        }

        return bytes;
    }

    /// <summary>
    /// The bytes an edit of <paramref name="span"/> may touch: its member's name and the commas
    /// either side. Edits whose footprints are apart, applied from the last, never move each other.
    /// </summary>
    private static (int Start, int End) Footprint(IReadOnlyList<TokenSpan> spans, TokenSpan span)
    {
        var at = IndexOf(spans, span);
        var first = span.IsName ? span : at > 0 && spans[at - 1].IsName && spans[at - 1].Depth == span.Depth ? spans[at - 1] : span;
        var last = span.IsName && at + 1 < spans.Count ? spans[at + 1] : span;
        return (first.Start - 1, last.End + 1);
    }

    private static TokenSpan AtDepth(CaseRandom random, IReadOnlyList<TokenSpan> spans, int depth)
    {
        var start = random.Next(spans.Count);
        for (var offset = 0; offset < spans.Count; offset++)
        {
            var span = spans[(start + offset) % spans.Count];
            if (span.Depth == depth)
            {
                return span;
            }
        }

        return spans[start];
    }

    private byte[] MutateValue(CaseRandom random, byte[] bytes, byte[] source, IReadOnlyList<TokenSpan> spans, TokenSpan span, List<string> steps)
    {
        switch (random.Next(10))
        {
            case < 4:
                var (label, json) = InterestingValues.Pick(random);
                steps.Add($"value @{span.Start}+{span.Length} -> {Short(label)}");
                return Replace(bytes, span.Start, span.Length, json);
            case 4:
                var (seedName, donor) = Donor(random, isName: false);
                steps.Add($"value @{span.Start}+{span.Length} -> {seedName} value {Short(Encoding.UTF8.GetString(donor))}");
                return Replace(bytes, span.Start, span.Length, donor);
            case 5:
                // Another value of the same stream, read from it as it was before this case's edits.
                var other = spans[random.Next(spans.Count)];
                if (other.IsName || other.Length > 4096)
                {
                    goto default;
                }

                steps.Add($"value @{span.Start}+{span.Length} -> copy of value @{other.Start}+{other.Length}");
                return Replace(bytes, span.Start, span.Length, source.AsSpan(other.Start, other.Length));
            case 6:
                string[] wrappers = ["[{0}]", "{{\"x\":{0}}}", "[\"set\",[{0}]]", "[\"map\",[[{0},{0}]]]", "[{0},{0}]"];
                var wrapper = random.Pick(wrappers);
                steps.Add($"value @{span.Start}+{span.Length} wrapped as {wrapper}");
                var parts = wrapper.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal).Split("{0}");
                var wrapped = new List<byte>();
                for (var index = 0; index < parts.Length; index++)
                {
                    wrapped.AddRange(Encoding.UTF8.GetBytes(parts[index]));
                    if (index < parts.Length - 1)
                    {
                        wrapped.AddRange(bytes.AsSpan(span.Start, span.Length).ToArray());
                    }
                }

                return Replace(bytes, span.Start, span.Length, wrapped.ToArray());
            case 7:
                // A value repeated in place: extra array elements, or (after a member) invalid JSON.
                var times = random.Count(3);
                steps.Add($"value @{span.Start}+{span.Length} repeated {times} more");
                return Replace(bytes, span.End, 0, Repeat(bytes.AsSpan(span.Start, span.Length), times, leadingComma: true));
            case 8:
                steps.Add($"value @{span.Start}+{span.Length} deleted");
                return Replace(bytes, span.Start, span.Length, []);
            default:
                return MemberEdit(random, bytes, spans, span, steps);
        }
    }

    private byte[] MutateName(CaseRandom random, byte[] bytes, IReadOnlyList<TokenSpan> spans, TokenSpan span, List<string> steps)
    {
        if (random.Chance(0.4))
        {
            return MemberEdit(random, bytes, spans, span, steps);
        }

        var (label, json) = random.Chance(0.7) ? InterestingValues.PickName(random) : Donor(random, isName: true);
        steps.Add($"name @{span.Start}+{span.Length} -> {Short(label)}");
        return Replace(bytes, span.Start, span.Length, json);
    }

    /// <summary>
    /// Edits a whole member ("name": value) around a name span, or around the member a value belongs
    /// to: removed (a response without "result", a row without a column), or repeated (JSON objects
    /// with the same name twice; many copies of a row make a reply large enough to be streamed).
    /// </summary>
    private static byte[] MemberEdit(CaseRandom random, byte[] bytes, IReadOnlyList<TokenSpan> spans, TokenSpan span, List<string> steps)
    {
        var at = IndexOf(spans, span);
        var name = span.IsName ? span : at > 0 && spans[at - 1].IsName && spans[at - 1].Depth == span.Depth ? spans[at - 1] : (TokenSpan?)null;
        if (name is not { } found)
        {
            steps.Add($"value @{span.Start}+{span.Length} deleted");
            return Replace(bytes, span.Start, span.Length, []);
        }

        var valueIndex = IndexOf(spans, found) + 1;
        if (valueIndex >= spans.Count)
        {
            return bytes;
        }

        var value = spans[valueIndex];
        var member = bytes.AsSpan(found.Start, value.End - found.Start);
        if (random.Chance(0.4))
        {
            // With the comma after it, or else the one before it, so the object stays valid JSON.
            var end = value.End;
            var start = found.Start;
            if (end < bytes.Length && bytes[end] == (byte)',')
            {
                end++;
            }
            else if (start > 0 && bytes[start - 1] == (byte)',')
            {
                start--;
            }

            steps.Add($"member @{found.Start} removed");
            return Replace(bytes, start, end - start, []);
        }

        var times = random.Chance(0.1) ? random.Next(50, 3000) : random.Count(3);
        steps.Add($"member @{found.Start}+{member.Length} repeated {times} more");
        return Replace(bytes, value.End, 0, Repeat(member, times, leadingComma: true));
    }

    /// <summary>A value or member name of any seed: real JSON of another place in the protocol.</summary>
    private (string Seed, byte[] Json) Donor(CaseRandom random, bool isName)
    {
        var index = random.Next(corpus.Seeds.Count);
        var spans = corpus.Tokens[index];
        for (var attempt = 0; attempt < 8 && spans.Count > 0; attempt++)
        {
            var span = spans[random.Next(spans.Count)];
            if (span.IsName == isName && span.Length < 4096)
            {
                return (corpus.Seeds[index].Name, corpus.Seeds[index].Bytes.AsSpan(span.Start, span.Length).ToArray());
            }
        }

        return (corpus.Seeds[index].Name, isName ? "\"id\""u8.ToArray() : "null"u8.ToArray());
    }

    private static byte[] Repeat(ReadOnlySpan<byte> item, int times, bool leadingComma)
    {
        var result = new byte[(item.Length + (leadingComma ? 1 : 0)) * times];
        var at = 0;
        for (var index = 0; index < times; index++)
        {
            if (leadingComma)
            {
                result[at++] = (byte)',';
            }

            item.CopyTo(result.AsSpan(at));
            at += item.Length;
        }

        return result;
    }

    private static int IndexOf(IReadOnlyList<TokenSpan> spans, TokenSpan span)
    {
        int low = 0, high = spans.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (spans[middle].Start == span.Start)
            {
                return middle;
            }

            if (spans[middle].Start < span.Start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    private static string Short(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "…");
}
