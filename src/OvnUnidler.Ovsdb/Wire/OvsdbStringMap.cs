using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace OvnUnidler.Ovsdb.Wire;

/// <summary>
/// A small read-only string map, sorted by key. OVSDB maps in typed rows have a handful of pairs
/// (Controller_Event event_info has three) and a table of 100,000 rows holds 100,000 of them, so up
/// to three pairs live in the object itself and only larger maps get an array; a hash table per
/// row would cost several times more than it saves.
/// </summary>
public sealed class OvsdbStringMap : IReadOnlyDictionary<string, string>, IEquatable<OvsdbStringMap>
{
    public static readonly OvsdbStringMap Empty = new([]);

    private const int InlinePairs = 3;

    private readonly string? key0;
    private readonly string? value0;
    private readonly string? key1;
    private readonly string? value1;
    private readonly string? key2;
    private readonly string? value2;
    private readonly KeyValuePair<string, string>[]? many;

    private OvsdbStringMap(KeyValuePair<string, string>[] sorted)
    {
        if (sorted.Length > InlinePairs)
        {
            many = sorted;
            return;
        }

        (key0, value0) = sorted.Length > 0 ? (sorted[0].Key, sorted[0].Value) : (null, null);
        (key1, value1) = sorted.Length > 1 ? (sorted[1].Key, sorted[1].Value) : (null, null);
        (key2, value2) = sorted.Length > 2 ? (sorted[2].Key, sorted[2].Value) : (null, null);
    }

    public int Count => many?.Length ?? (key0 is null ? 0 : key1 is null ? 1 : key2 is null ? 2 : 3);

    public IEnumerable<string> Keys => this.Select(pair => pair.Key);

    public IEnumerable<string> Values => this.Select(pair => pair.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no key '{key}' in the map");

    /// <summary>Takes the pairs; a key given twice keeps its last value.</summary>
    public static OvsdbStringMap From(KeyValuePair<string, string>[] pairs)
    {
        if (pairs.Length == 0)
        {
            return Empty;
        }

        var sorted = true;
        for (var index = 1; index < pairs.Length && sorted; index++)
        {
            sorted = string.CompareOrdinal(pairs[index - 1].Key, pairs[index].Key) < 0;
        }

        if (sorted)
        {
            return new OvsdbStringMap(pairs);
        }

        var unique = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            unique[key] = value;
        }

        var ordered = unique.ToArray();
        Array.Sort(ordered, (left, right) => string.CompareOrdinal(left.Key, right.Key));
        return new OvsdbStringMap(ordered);
    }

    public static OvsdbStringMap From(IEnumerable<KeyValuePair<string, string>> pairs) => From(pairs.ToArray());

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (many is not null)
        {
            var index = Array.BinarySearch(many, new KeyValuePair<string, string>(key, string.Empty), KeyOrder.Instance);
            value = index >= 0 ? many[index].Value : null;
            return index >= 0;
        }

        value = key == key0 ? value0 : key == key1 ? value1 : key == key2 ? value2 : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        if (many is not null)
        {
            foreach (var pair in many)
            {
                yield return pair;
            }

            yield break;
        }

        if (key0 is not null)
        {
            yield return new(key0, value0!);
        }

        if (key1 is not null)
        {
            yield return new(key1, value1!);
        }

        if (key2 is not null)
        {
            yield return new(key2, value2!);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same pairs (ordinal), so typed rows holding maps compare by value, as records do.</summary>
    public bool Equals(OvsdbStringMap? other) =>
        other is not null && (ReferenceEquals(this, other) || (Count == other.Count && this.SequenceEqual(other)));

    public override bool Equals(object? obj) => obj is OvsdbStringMap other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in this)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", this.Select(pair => $"{pair.Key}={pair.Value}")) + "}";

    private sealed class KeyOrder : IComparer<KeyValuePair<string, string>>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(KeyValuePair<string, string> x, KeyValuePair<string, string> y) => string.CompareOrdinal(x.Key, y.Key);
    }
}
