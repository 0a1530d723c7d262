using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OvnUnidler.Ovsdb.Wire;

/// <summary>
/// The OVSDB value notation of RFC 7047 section 5.1, in one place: atoms, ["uuid", U],
/// ["named-uuid", N], ["set", [..]] and ["map", [[k, v], ..]]. Typed rows read and write through
/// these helpers only.
/// </summary>
public static class OvsdbWire
{
    public static JsonArray Uuid(Guid uuid) => new("uuid", uuid.ToString());

    public static JsonArray NamedUuid(string name) => new("named-uuid", name);

    public static JsonArray EmptySet() => new("set", new JsonArray());

    public static JsonArray Set(IEnumerable<JsonNode?> atoms) => new("set", new JsonArray([.. atoms]));

    public static JsonArray Map(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new("map", new JsonArray([.. pairs.Select(pair => (JsonNode)new JsonArray(pair.Key, pair.Value))]));

    public static Guid ReadUuid(JsonElement value) =>
        TryReadUuid(value, out var uuid) ? uuid : throw new FormatException($"expected [\"uuid\", …], got {Shorten(value)}");

    public static bool TryReadUuid(JsonElement value, out Guid uuid)
    {
        uuid = default;
        return value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            && value[0].ValueEquals("uuid"u8) && value[1].ValueKind == JsonValueKind.String
            && Guid.TryParse(value[1].GetString(), out uuid);
    }

    /// <summary>
    /// A column of type {min 0, max 1}: RFC 7047 sends the empty set as ["set", []] and a set of
    /// one element as the bare atom.
    /// </summary>
    public static Guid? ReadOptionalUuid(JsonElement value)
    {
        var atoms = ReadSet(value);
        return atoms.Count switch
        {
            0 => null,
            1 => ReadUuid(atoms[0]),
            _ => throw new FormatException($"expected at most one uuid, got {atoms.Count}"),
        };
    }

    public static IReadOnlyList<JsonElement> ReadSet(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueEquals("set"u8))
        {
            var elements = value[1];
            return elements.ValueKind == JsonValueKind.Array
                ? [.. elements.EnumerateArray()]
                : throw new FormatException($"a set holds an array, got {Shorten(value)}");
        }

        return [value];
    }

    public static Dictionary<string, string> ReadStringMap(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2 || !value[0].ValueEquals("map"u8)
            || value[1].ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"expected [\"map\", […]], got {Shorten(value)}");
        }

        var map = new Dictionary<string, string>(value[1].GetArrayLength(), StringComparer.Ordinal);
        foreach (var pair in value[1].EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"a string map pair must be [string, string], got {Shorten(pair)}");
            }

            map[pair[0].GetString()!] = pair[1].GetString()!;
        }

        return map;
    }

    public static string ReadString(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : throw new FormatException($"expected a string, got {Shorten(value)}");

    public static string? ReadOptionalString(JsonElement value)
    {
        var atoms = ReadSet(value);
        return atoms.Count == 0 ? null : ReadString(atoms[0]);
    }

    public static long ReadInteger(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
        ? number
        : throw new FormatException($"expected an integer, got {Shorten(value)}");

    /// <summary>
    /// update2 "modify" (ovsdb-server(7), update2 notification): a scalar column carries its new value;
    /// a set carries the elements to toggle; a map carries pairs to add (new key), remove (same
    /// key and value) or change (same key, new value).
    /// </summary>
    public static JsonElement ApplyDiff(JsonElement old, JsonElement diff)
    {
        if (IsTagged(diff, "map"u8) && IsTagged(old, "map"u8))
        {
            var map = old[1].EnumerateArray().ToDictionary(pair => pair[0].GetRawText(), pair => pair[1].GetRawText(), StringComparer.Ordinal);
            var order = old[1].EnumerateArray().Select(pair => pair[0].GetRawText()).ToList();
            foreach (var pair in diff[1].EnumerateArray())
            {
                var key = pair[0].GetRawText();
                var newValue = pair[1].GetRawText();
                if (map.TryGetValue(key, out var existing) && existing == newValue)
                {
                    map.Remove(key);
                    order.Remove(key);
                }
                else
                {
                    if (!map.ContainsKey(key))
                    {
                        order.Add(key);
                    }

                    map[key] = newValue;
                }
            }

            return Parse($"[\"map\",[{string.Join(',', order.Select(key => $"[{key},{map[key]}]"))}]]");
        }

        if (IsTagged(diff, "set"u8) || IsTagged(old, "set"u8) || !IsScalar(diff))
        {
            var elements = ReadSet(old).Select(element => element.GetRawText()).ToList();
            foreach (var toggled in ReadSet(diff).Select(element => element.GetRawText()))
            {
                if (!elements.Remove(toggled))
                {
                    elements.Add(toggled);
                }
            }

            return Parse($"[\"set\",[{string.Join(',', elements)}]]");
        }

        return diff;
    }

    private static bool IsTagged(JsonElement value, ReadOnlySpan<byte> tag) =>
        value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueEquals(tag);

    private static bool IsScalar(JsonElement value) =>
        value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
        || IsTagged(value, "uuid"u8) || IsTagged(value, "named-uuid"u8);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string Shorten(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");
    }

    internal static string Format(long number) => number.ToString(CultureInfo.InvariantCulture);
}
