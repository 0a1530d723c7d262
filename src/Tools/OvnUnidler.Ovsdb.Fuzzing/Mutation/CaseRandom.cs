namespace OvnUnidler.Ovsdb.Fuzzing.Mutation;

/// <summary>
/// The random numbers of one case: xoshiro256** seeded through splitmix64 from (run seed, case
/// number), so a case is regenerated from those two numbers alone, on any machine and runtime
/// (System.Random's seeded sequence is an implementation detail of the runtime).
/// </summary>
public sealed class CaseRandom
{
    private ulong s0;
    private ulong s1;
    private ulong s2;
    private ulong s3;

    public CaseRandom(long seed, long caseNumber)
    {
        var mix = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ (ulong)caseNumber;
        s0 = SplitMix(ref mix);
        s1 = SplitMix(ref mix);
        s2 = SplitMix(ref mix);
        s3 = SplitMix(ref mix);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Small numbers much more often than large ones: 1 + a geometric count, at most <paramref name="max"/>.</summary>
    public int Count(int max, double more = 0.4)
    {
        var count = 1;
        while (count < max && Chance(more))
        {
            count++;
        }

        return count;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong value, int bits) => (value << bits) | (value >> (64 - bits));
}
