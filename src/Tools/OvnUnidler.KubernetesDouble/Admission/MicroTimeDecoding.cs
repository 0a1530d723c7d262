using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Admission;

// metav1.MicroTime fields (a Lease's acquireTime and renewTime) are decoded with Go's layout
// RFC3339Micro, "2006-01-02T15:04:05.000000Z07:00": exactly six fractional digits, then Z or an
// offset. A value that does not parse never reaches validation: the body cannot be decoded, and
// the API server answers 400 BadRequest, "Lease in version "v1" cannot be handled as a Lease:
// parsing time ..." (API conventions: 400 for a body that cannot be decoded, 422 for a decoded
// object that fails validation).
internal static class MicroTimeDecoding
{
    private const string Layout = "2006-01-02T15:04:05.000000Z07:00";

    // Each element of the layout: what it is called in Go's errors, and what it accepts.
    private static readonly (string Element, Func<string, int> Length)[] Elements =
    [
        ("2006", Digits(4)), ("-", Literal('-')), ("01", Digits(2)), ("-", Literal('-')), ("02", Digits(2)), ("T", Literal('T')),
        ("15", Digits(2)), (":", Literal(':')), ("04", Digits(2)), (":", Literal(':')), ("05", Digits(2)), (".000000", Fraction),
        ("Z07:00", Zone),
    ];

    public static ApiError? Check(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom || type.Kind != "Lease")
        {
            return null;
        }

        foreach (var field in new[] { "acquireTime", "renewTime" })
        {
            var node = JsonAccess.Object(obj, "spec")?[field];
            if (node is null)
            {
                continue;
            }

            var problem = node is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? Parse(value.GetValue<string>())
                : $"json: cannot unmarshal {Kind(node)} into Go value of type string";
            if (problem is not null)
            {
                return ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {problem}");
            }
        }

        return null;
    }

    // Go's time.Parse error for the first element that does not match, or a field out of range.
    private static string? Parse(string text)
    {
        var rest = text;
        var numbers = new List<int>();
        foreach (var (element, length) in Elements)
        {
            var taken = length(rest);
            if (taken < 0)
            {
                return $"parsing time \"{text}\" as \"{Layout}\": cannot parse \"{rest}\" as \"{element}\"";
            }

            if (element is "01" or "02" or "15" or "04" or "05")
            {
                numbers.Add(int.Parse(rest[..taken], System.Globalization.CultureInfo.InvariantCulture));
            }

            rest = rest[taken..];
        }

        if (rest.Length > 0)
        {
            return $"parsing time \"{text}\": extra text: \"{rest}\"";
        }

        var (month, day, hour, minute, second) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
        var year = int.Parse(text[..4], System.Globalization.CultureInfo.InvariantCulture);
        var range = month is < 1 or > 12 ? "month"
            : day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) ? "day"
            : hour > 23 ? "hour"
            : minute > 59 ? "minute"
            : second > 59 ? "second"
            : null;
        return range is null ? null : $"parsing time \"{text}\": {range} out of range";
    }

    private static Func<string, int> Digits(int count) => text => text.Length >= count && text[..count].All(char.IsAsciiDigit) ? count : -1;

    private static Func<string, int> Literal(char expected) => text => text.Length > 0 && text[0] == expected ? 1 : -1;

    private static int Fraction(string text) => text.Length >= 7 && text[0] is '.' or ',' && text[1..7].All(char.IsAsciiDigit) ? 7 : -1;

    private static int Zone(string text) =>
        text.StartsWith('Z') ? 1
        : text.Length >= 6 && text[0] is '+' or '-' && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2]) && text[3] == ':' && char.IsAsciiDigit(text[4]) && char.IsAsciiDigit(text[5]) ? 6
        : -1;

    private static string Kind(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => "number",
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "value",
    };
}
