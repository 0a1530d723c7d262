using System.Globalization;
using System.Text.Json;

namespace OvnUnidler.Ovsdb.Wire;

public static partial class OvsdbWire
{
    private const string ZeroUuid = "00000000-0000-0000-0000-000000000000";

    /// <summary>
    /// Whether two rows hold the same data, as OVSDB means it: sets and maps compare without order,
    /// a one-element set equals its bare atom, and a column left out equals its default (RFC 7047
    /// section 4.1.6 omits default columns from monitor rows, while a row rebuilt from diffs has them).
    /// </summary>
    public static bool RowEquals(JsonElement left, JsonElement right)
    {
        if (left.ValueKind != JsonValueKind.Object || right.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("rows must be objects");
        }

        foreach (var column in left.EnumerateObject())
        {
            if (!ValueEquals(column.Value, right.TryGetProperty(column.Name, out var other) ? other : default))
            {
                return false;
            }
        }

        foreach (var column in right.EnumerateObject())
        {
            if (!left.TryGetProperty(column.Name, out _) && !IsDefault(column.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether two column values are equal; an undefined element stands for the default.</summary>
    public static bool ValueEquals(JsonElement left, JsonElement right)
    {
        if (left.ValueKind == JsonValueKind.Undefined || right.ValueKind == JsonValueKind.Undefined)
        {
            return (left.ValueKind == JsonValueKind.Undefined || IsDefault(left)) && (right.ValueKind == JsonValueKind.Undefined || IsDefault(right));
        }

        if (IsTagged(left, "map"u8) || IsTagged(right, "map"u8))
        {
            if (IsDefault(left) && IsDefault(right))
            {
                return true;
            }

            if (!IsTagged(left, "map"u8) || !IsTagged(right, "map"u8))
            {
                return false;
            }

            var leftPairs = ReadMapPairs(left).Select(pair => (AtomKey(pair.Key), AtomKey(pair.Value))).Order().ToList();
            var rightPairs = ReadMapPairs(right).Select(pair => (AtomKey(pair.Key), AtomKey(pair.Value))).Order().ToList();
            return leftPairs.SequenceEqual(rightPairs);
        }

        var leftAtoms = ReadSet(left).Select(AtomKey).Order(StringComparer.Ordinal).ToList();
        var rightAtoms = ReadSet(right).Select(AtomKey).Order(StringComparer.Ordinal).ToList();
        return leftAtoms.SequenceEqual(rightAtoms, StringComparer.Ordinal);
    }

    /// <summary>The default of a column of this value's type: "", 0, false, the empty set or map, the all-zero uuid.</summary>
    public static bool IsDefault(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.ValueEquals(""u8),
        JsonValueKind.Number => value.GetDouble() == 0,
        JsonValueKind.False => true,
        JsonValueKind.Array when IsTagged(value, "set"u8) || IsTagged(value, "map"u8) =>
            value[1].ValueKind == JsonValueKind.Array && value[1].GetArrayLength() == 0,
        JsonValueKind.Array when IsTagged(value, "uuid"u8) => value[1].ValueEquals(ZeroUuid),
        _ => false,
    };

    /// <summary>An atom as a canonical string, so atoms written differently (escapes, number forms) compare equal.</summary>
    private static string AtomKey(JsonElement atom) => atom.ValueKind switch
    {
        JsonValueKind.String => "s:" + atom.GetString(),
        JsonValueKind.Number => atom.TryGetInt64(out var integer)
            ? "n:" + integer.ToString(CultureInfo.InvariantCulture)
            : "n:" + atom.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.True => "b:true",
        JsonValueKind.False => "b:false",
        JsonValueKind.Array when atom.GetArrayLength() == 2 && atom[0].ValueKind == JsonValueKind.String && atom[1].ValueKind == JsonValueKind.String =>
            Guid.TryParse(atom[1].GetString(), out var uuid)
                ? $"{atom[0].GetString()}:{uuid}"
                : $"{atom[0].GetString()}:{atom[1].GetString()}",
        _ => "j:" + atom.GetRawText(),
    };
}
