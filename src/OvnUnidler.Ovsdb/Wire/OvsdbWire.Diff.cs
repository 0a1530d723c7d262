using System.Buffers;
using System.Text.Json;

namespace OvnUnidler.Ovsdb.Wire;

public static partial class OvsdbWire
{
    /// <summary>
    /// Applies an update2 "modify" diff to a column's old value (ovsdb-server(7), update2
    /// notification). For a column whose values hold at most one element (a scalar, or an optional
    /// value such as Controller_Event chassis) the diff is the new value: a weak reference cleared
    /// by a deleted row arrives as ["set", []]. For a set it lists the elements to toggle; for a map
    /// the pairs to add (new key), remove (same key and value) or change (same key, new value).
    /// An absent <paramref name="old"/> (default JsonElement) is the column's default, empty.
    /// </summary>
    public static JsonElement ApplyDiff(JsonElement old, JsonElement diff, OvsdbColumnKind kind) => kind switch
    {
        OvsdbColumnKind.Map => ApplyMapDiff(old, diff),
        OvsdbColumnKind.Set => ApplySetDiff(old, diff),
        _ => diff,
    };

    /// <summary>
    /// <see cref="ApplyDiff(JsonElement, JsonElement, OvsdbColumnKind)"/> without the schema: the kind
    /// is inferred from the values. Only old = A, diff = B (two different bare atoms) is ambiguous, a
    /// scalar changing or an element added to a one-element set; it is taken as a scalar. Pass the
    /// kind from the schema where it is known (the monitors do).
    /// </summary>
    public static JsonElement ApplyDiff(JsonElement old, JsonElement diff) => ApplyDiff(old, diff, InferKind(old, diff));

    private static OvsdbColumnKind InferKind(JsonElement old, JsonElement diff)
    {
        if (IsTagged(diff, "map"u8) || IsTagged(old, "map"u8))
        {
            return OvsdbColumnKind.Map;
        }

        // A set's diff is never empty (only changed columns are sent), so an empty set is a new value.
        if (IsTagged(diff, "set"u8))
        {
            return ReadSet(diff).Count switch
            {
                0 => OvsdbColumnKind.Single,
                1 => old.ValueKind == JsonValueKind.Undefined || ReadSet(old).Count != 1 ? OvsdbColumnKind.Set : OvsdbColumnKind.Single,
                _ => OvsdbColumnKind.Set,
            };
        }

        if (IsTagged(old, "set"u8) && ReadSet(old).Count >= 2)
        {
            return OvsdbColumnKind.Set;
        }

        // A single-valued column never receives its unchanged value, so an equal atom is a removal.
        return old.ValueKind != JsonValueKind.Undefined && AtomKey(old) == AtomKey(diff) ? OvsdbColumnKind.Set : OvsdbColumnKind.Single;
    }

    private static JsonElement ApplySetDiff(JsonElement old, JsonElement diff)
    {
        var elements = old.ValueKind == JsonValueKind.Undefined ? [] : ReadSet(old).ToList();
        foreach (var toggled in ReadSet(diff))
        {
            var key = AtomKey(toggled);
            var index = elements.FindIndex(element => AtomKey(element) == key);
            if (index >= 0)
            {
                elements.RemoveAt(index);
            }
            else
            {
                elements.Add(toggled);
            }
        }

        // RFC 7047 section 5.1: a set of exactly one element is written as that element.
        if (elements.Count == 1)
        {
            return elements[0].Clone();
        }

        return Write(writer =>
        {
            writer.WriteStartArray();
            writer.WriteStringValue("set");
            writer.WriteStartArray();
            foreach (var element in elements)
            {
                element.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndArray();
        });
    }

    private static JsonElement ApplyMapDiff(JsonElement old, JsonElement diff)
    {
        var pairs = old.ValueKind == JsonValueKind.Undefined ? [] : ReadMapPairs(old).ToList();
        foreach (var (key, value) in ReadMapPairs(diff))
        {
            var keyText = AtomKey(key);
            var index = pairs.FindIndex(pair => AtomKey(pair.Key) == keyText);
            if (index < 0)
            {
                pairs.Add((key, value));
            }
            else if (AtomKey(pairs[index].Value) == AtomKey(value))
            {
                pairs.RemoveAt(index);
            }
            else
            {
                pairs[index] = (key, value);
            }
        }

        return Write(writer =>
        {
            writer.WriteStartArray();
            writer.WriteStringValue("map");
            writer.WriteStartArray();
            foreach (var (key, value) in pairs)
            {
                writer.WriteStartArray();
                key.WriteTo(writer);
                value.WriteTo(writer);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndArray();
        });
    }

    private static IEnumerable<(JsonElement Key, JsonElement Value)> ReadMapPairs(JsonElement value)
    {
        if (!IsTagged(value, "map"u8) || value[1].ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"expected [\"map\", […]], got {Shorten(value)}");
        }

        foreach (var pair in value[1].EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
            {
                throw new FormatException($"a map pair must be [key, value], got {Shorten(pair)}");
            }

            yield return (pair[0], pair[1]);
        }
    }

    private static JsonElement Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
