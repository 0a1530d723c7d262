using OvnUnidler.Ovsdb.Fuzzing.Seeds;

namespace OvnUnidler.Ovsdb.Fuzzing.Mutation;

/// <summary>
/// Makes case N of a run from the seed corpus: a seed (or two spliced), mutated by whole JSON values
/// (most cases: the decoder's later stages are only reached by JSON that parses), by bytes, or cut
/// short, then split into reads at random boundaries. Everything random comes from
/// <see cref="CaseRandom"/>(seed, N), so the case is the same wherever it is made again.
/// </summary>
public sealed partial class CaseGenerator(SeedCorpus corpus)
{
    private const int DefaultStreamThreshold = 64 * 1024;

    /// <summary>Share of cases decoded by a real JsonRpcConnection (the rest take the direct path, several times faster).</summary>
    public double ConnectionShare { get; init; } = 0.25;

    public FuzzCase Generate(long seed, long number)
    {
        var random = new CaseRandom(seed, number);
        var steps = new List<string>();
        var index = corpus.Pick(random.NextDouble());
        var name = corpus.Seeds[index].Name;
        var bytes = corpus.Seeds[index].Bytes;
        var spans = corpus.Tokens[index];
        steps.Add($"seed {name}");

        var plan = random.Next(100);
        if (plan < 15)
        {
            (bytes, spans) = Splice(random, bytes, spans, steps);
        }

        if (plan >= 2 && plan < 85)
        {
            bytes = MutateTokens(random, bytes, spans, steps);
        }

        if (plan >= 85 || (plan >= 2 && random.Chance(0.2)))
        {
            bytes = MutateBytes(random, bytes, steps);
        }

        if (plan >= 2 && random.Chance(0.08) && bytes.Length > 1)
        {
            var cut = random.Next(1, bytes.Length);
            steps.Add($"truncate to {cut}");
            bytes = bytes[..cut];
        }

        var chunks = Chunk(random, bytes.Length, spans, steps);
        var transport = random.Chance(ConnectionShare) ? DecodeTransport.Connection : DecodeTransport.Direct;
        var threshold = transport == DecodeTransport.Direct && random.Chance(0.5) ? random.Next(1, 2048) : DefaultStreamThreshold;
        steps.Add(transport == DecodeTransport.Connection ? "via JsonRpcConnection" : $"direct, stream threshold {threshold}");
        return new FuzzCase(seed, number, name, bytes, chunks, transport, threshold, string.Join("; ", steps));
    }

    /// <summary>Read sizes: all at once, at random cut points, in small fixed reads, or around message boundaries.</summary>
    private static int[] Chunk(CaseRandom random, int length, IReadOnlyList<TokenSpan> spans, List<string> steps)
    {
        if (length == 0)
        {
            return [];
        }

        var cuts = new SortedSet<int>();
        switch (random.Next(10))
        {
            case < 3:
                steps.Add("one read");
                break;
            case < 7:
                var count = random.Count(16, 0.7);
                for (var index = 0; index < count; index++)
                {
                    cuts.Add(random.Next(1, Math.Max(2, length)));
                }

                steps.Add($"{count} random cuts");
                break;
            case < 9:
                var size = Math.Max(random.Next(1, 64), length / 2000);
                for (var at = size; at < length; at += size)
                {
                    cuts.Add(at);
                }

                steps.Add($"reads of {size}");
                break;
            default:
                var shift = random.Next(-2, 3);
                foreach (var message in SeedTokens.Messages(spans))
                {
                    cuts.Add(Math.Clamp(message.End + shift, 1, Math.Max(1, length - 1)));
                }

                steps.Add($"cuts at message ends {shift:+0;-0;0}");
                break;
        }

        cuts.RemoveWhere(cut => cut <= 0 || cut >= length);
        var chunks = new List<int>(cuts.Count + 1);
        var previous = 0;
        foreach (var cut in cuts)
        {
            chunks.Add(cut - previous);
            previous = cut;
        }

        chunks.Add(length - previous);
        return [.. chunks];
    }

    /// <summary><paramref name="bytes"/> with [start, start + remove) replaced by <paramref name="insert"/>.</summary>
    private static byte[] Replace(byte[] bytes, int start, int remove, ReadOnlySpan<byte> insert)
    {
        var result = new byte[bytes.Length - remove + insert.Length];
        bytes.AsSpan(0, start).CopyTo(result);
        insert.CopyTo(result.AsSpan(start));
        bytes.AsSpan(start + remove).CopyTo(result.AsSpan(start + insert.Length));
        return result;
    }
}
