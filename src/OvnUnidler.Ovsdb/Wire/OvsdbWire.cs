using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OvnUnidler.Ovsdb.Wire;

/// <summary>
/// The OVSDB value notation of RFC 7047 section 5.1, in one place: atoms, ["uuid", U],
/// ["named-uuid", N], ["set", [..]] and ["map", [[k, v], ..]]. Typed rows read and write through
/// these helpers only.
/// </summary>
public static partial class OvsdbWire
{
    public static JsonArray Uuid(Guid uuid) => new("uuid", uuid.ToString());

    public static JsonArray NamedUuid(string name) => new("named-uuid", name);

    public static JsonArray EmptySet() => new("set", new JsonArray());

    public static JsonArray Set(IEnumerable<JsonNode?> atoms) => new("set", new JsonArray([.. atoms]));

    public static JsonArray Map(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new("map", new JsonArray([.. pairs.Select(pair => (JsonNode)new JsonArray(pair.Key, pair.Value))]));

    /// <summary>A column of type {min 0, max 1}: the empty set when absent, else the bare atom (RFC 7047 section 5.1).</summary>
    public static JsonNode OptionalUuid(Guid? uuid) => uuid is { } value ? Uuid(value) : EmptySet();

    public static Guid ReadUuid(JsonElement value) =>
        TryReadUuid(value, out var uuid) ? uuid : throw new FormatException($"expected [\"uuid\", …], got {Shorten(value)}");

    public static bool TryReadUuid(JsonElement value, out Guid uuid)
    {
        uuid = default;
        return IsTagged(value, "uuid"u8) && value[1].ValueKind == JsonValueKind.String && Guid.TryParse(value[1].GetString(), out uuid);
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
        if (IsTagged(value, "set"u8))
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
        var pairs = ReadStringPairs(value, null);
        var map = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, text) in pairs)
        {
            map[key] = text;
        }

        return map;
    }

    /// <summary>
    /// A string map as a compact <see cref="OvsdbStringMap"/>. Keys and values equal to one of
    /// <paramref name="common"/> share that string instead of allocating their own.
    /// </summary>
    public static OvsdbStringMap ReadCompactStringMap(JsonElement value, IReadOnlyList<string>? common = null) =>
        OvsdbStringMap.From(ReadStringPairs(value, common));

    public static string ReadString(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : throw new FormatException($"expected a string, got {Shorten(value)}");

    /// <summary>A string, shared with an equal one of <paramref name="common"/> when there is one.</summary>
    public static string ReadString(JsonElement value, IReadOnlyList<string>? common)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"expected a string, got {Shorten(value)}");
        }

        // Indexed, not foreach: an enumerator over the interface would be allocated on every call.
        for (var index = 0; common is not null && index < common.Count; index++)
        {
            if (value.ValueEquals(common[index]))
            {
                return common[index];
            }
        }

        return value.GetString()!;
    }

    public static string? ReadOptionalString(JsonElement value)
    {
        var atoms = ReadSet(value);
        return atoms.Count switch
        {
            0 => null,
            1 => ReadString(atoms[0]),
            _ => throw new FormatException($"expected at most one string, got {atoms.Count}"),
        };
    }

    public static long ReadInteger(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
        ? number
        : throw new FormatException($"expected an integer, got {Shorten(value)}");

    /// <summary>
    /// Reads one column of a row with <paramref name="read"/>; a column the server left out (RFC 7047
    /// section 4.1.6: columns at their default are omitted from monitor rows) gives <paramref name="absent"/>.
    /// A value of the wrong type throws a <see cref="FormatException"/> that names the column.
    /// </summary>
    public static T ReadColumn<T>(JsonElement row, string column, Func<JsonElement, T> read, T absent)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"a row must be an object, got {Shorten(row)}");
        }

        if (!row.TryGetProperty(column, out var value))
        {
            return absent;
        }

        try
        {
            return read(value);
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException)
        {
            throw new FormatException($"column {column}: {exception.Message}", exception);
        }
    }

    /// <summary>How update2 carries a column of this schema type (RFC 7047 section 3.2, &lt;column-schema&gt; "type").</summary>
    public static OvsdbColumnKind ColumnKindOf(JsonElement columnSchema)
    {
        var type = columnSchema.ValueKind == JsonValueKind.Object && columnSchema.TryGetProperty("type", out var inner) ? inner : columnSchema;
        if (type.ValueKind != JsonValueKind.Object)
        {
            return OvsdbColumnKind.Single;
        }

        if (type.TryGetProperty("value", out _))
        {
            return OvsdbColumnKind.Map;
        }

        var max = type.TryGetProperty("max", out var maxElement) ? maxElement : default;
        return max.ValueKind switch
        {
            JsonValueKind.String => OvsdbColumnKind.Set,
            JsonValueKind.Number when max.TryGetInt64(out var limit) && limit > 1 => OvsdbColumnKind.Set,
            _ => OvsdbColumnKind.Single,
        };
    }

    internal static string Format(long number) => number.ToString(CultureInfo.InvariantCulture);

    private static KeyValuePair<string, string>[] ReadStringPairs(JsonElement value, IReadOnlyList<string>? common)
    {
        if (!IsTagged(value, "map"u8) || value[1].ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"expected [\"map\", […]], got {Shorten(value)}");
        }

        var pairs = new KeyValuePair<string, string>[value[1].GetArrayLength()];
        var index = 0;
        foreach (var pair in value[1].EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"a string map pair must be [string, string], got {Shorten(pair)}");
            }

            pairs[index++] = new KeyValuePair<string, string>(ReadString(pair[0], common), ReadString(pair[1], common));
        }

        return pairs;
    }

    private static bool IsTagged(JsonElement value, ReadOnlySpan<byte> tag) =>
        value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueKind == JsonValueKind.String && value[0].ValueEquals(tag);

    private static string Shorten(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");
    }
}
