using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Errors;

// One field.Error of apimachinery's validation, rendered as the API server renders it:
// "spec.replicas: Invalid value: -1: must be greater than or equal to 0".
internal sealed record FieldError(string Reason, string Field, string Detail, JsonNode? Value = null)
{
    public static FieldError Invalid(string field, JsonNode? value, string detail) => new("FieldValueInvalid", field, detail, value);

    public static FieldError Required(string field, string detail) => new("FieldValueRequired", field, detail);

    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field, "supported values: " + string.Join(", ", supported.Select(s => $"\"{s}\"")), value);

    public static FieldError Forbidden(string field, string detail) => new("FieldValueForbidden", field, detail);

    public static FieldError Duplicate(string field, JsonNode? value) => new("FieldValueDuplicate", field, "", value);

    public string Message => Reason switch
    {
        "FieldValueRequired" => Detail.Length == 0 ? "Required value" : $"Required value: {Detail}",
        "FieldValueForbidden" => $"Forbidden: {Detail}",
        "FieldValueDuplicate" => $"Duplicate value: {Render(Value)}",
        "FieldValueTooLong" => $"Too long: {Detail}",
        "FieldValueTooMany" => $"Too many: {Render(Value)}: {Detail}",
        "FieldValueNotSupported" => $"Unsupported value: {Render(Value)}: {Detail}",
        _ => Detail.Length == 0 ? $"Invalid value: {Render(Value)}" : $"Invalid value: {Render(Value)}: {Detail}",
    };

    public override string ToString() => $"{Field}: {Message}";

    private static string Render(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"\"{v.GetValue<string>()}\"",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => value.ToJsonString().ToString(CultureInfo.InvariantCulture),
    };
}
