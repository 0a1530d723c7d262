using System.Reflection;

namespace OvnUnidler.Ovsdb.Fuzzing.Seeds;

/// <summary>
/// The recorded seeds (embedded from Corpus/*.bin, recorded by <c>record</c>) with their JSON
/// tokens. Seeds are picked with a weight that favours the small conversations: the two schema
/// replies are three quarters of the bytes but one kind of message.
/// </summary>
public sealed class SeedCorpus
{
    private readonly double[] cumulativeWeights;

    public SeedCorpus(IReadOnlyList<Seed> seeds)
    {
        if (seeds.Count == 0)
        {
            throw new ArgumentException("the corpus has no seeds", nameof(seeds));
        }

        Seeds = seeds;
        Tokens = [.. seeds.Select(seed => SeedTokens.Find(seed.Bytes))];
        cumulativeWeights = new double[seeds.Count];
        var total = 0.0;
        for (var index = 0; index < seeds.Count; index++)
        {
            total += 1.0 / Math.Sqrt(Math.Max(64, seeds[index].Bytes.Length));
            cumulativeWeights[index] = total;
        }

        for (var index = 0; index < seeds.Count; index++)
        {
            cumulativeWeights[index] /= total;
        }
    }

    public IReadOnlyList<Seed> Seeds { get; }

    public IReadOnlyList<IReadOnlyList<TokenSpan>> Tokens { get; }

    /// <summary>The corpus committed with the engine.</summary>
    public static SeedCorpus Embedded()
    {
        var assembly = typeof(SeedCorpus).Assembly;
        var seeds = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("Corpus/", StringComparison.Ordinal) && name.EndsWith(".bin", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => new Seed(Path.GetFileNameWithoutExtension(name), Read(assembly, name)))
            .ToList();
        return new SeedCorpus(seeds);
    }

    /// <summary>The NAME.bin files of a directory, as <c>record</c> writes them.</summary>
    public static SeedCorpus FromDirectory(string directory) => new([.. Directory.GetFiles(directory, "*.bin")
        .Order(StringComparer.Ordinal)
        .Select(path => new Seed(Path.GetFileNameWithoutExtension(path), File.ReadAllBytes(path)))]);

    /// <summary>A seed index drawn by weight from a uniform number in [0, 1).</summary>
    public int Pick(double uniform)
    {
        var index = Array.BinarySearch(cumulativeWeights, uniform);
        return Math.Min(index < 0 ? ~index : index, Seeds.Count - 1);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
