using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// Validation of a (pruned, defaulted) custom resource against its structural schema, with the
// field errors the apiextensions server reports: type, nullable, enum, minimum/maximum,
// lengths, pattern, format, item and property counts, and required fields.
internal static partial class SchemaValidation
{
    public static void Validate(JsonObject root, JsonObject schema, List<FieldError> errors)
    {
        ValidateObject(root, schema, "", errors, isRoot: true);
    }

    private static void ValidateValue(JsonNode? value, JsonObject schema, string path, List<FieldError> errors)
    {
        var type = StructuralSchema.Text(schema, "type");
        if (value is null)
        {
            if (!StructuralSchema.Flag(schema, "nullable") && type is not null)
            {
                errors.Add(FieldError.Invalid(path, "null", $"{path} in body must be of type {type}: \"null\""));
            }

            return;
        }

        var actual = TypeOf(value);
        if (StructuralSchema.Flag(schema, "x-kubernetes-int-or-string"))
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(FieldError.Invalid(path, actual, $"{path} in body must be of type integer,string: \"{actual}\""));
                return;
            }
        }
        else if (type is not null && actual != type && !(type == "number" && actual == "integer"))
        {
            errors.Add(FieldError.Invalid(path, actual, $"{path} in body must be of type {type}: \"{actual}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(option => JsonNode.DeepEquals(option, value)))
        {
            errors.Add(FieldError.NotSupported(path, value.DeepClone(), allowed.Select(option => option is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : option?.ToJsonString() ?? "null")));
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, errors, isRoot: false);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number && Decimal(scalar) is { } number:
                ValidateNumber(number, value, schema, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                ValidateString(scalar.GetValue<string>(), schema, path, errors);
                break;
        }
    }

    private static void ValidateObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors, bool isRoot)
    {
        foreach (var required in (schema["required"] as JsonArray)?.Select(JsonAccess.String).OfType<string>() ?? [])
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(FieldError.Required(Child(path, required), ""));
            }
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            if (isRoot && name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (properties?[name] is JsonObject childSchema)
            {
                ValidateValue(child, childSchema, Child(path, name), errors);
            }
            else if (additional is not null)
            {
                ValidateValue(child, additional, $"{path}[{name}]", errors);
            }
        }

        if (JsonAccess.Integer(schema, "minProperties") is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(FieldError.Invalid(path, obj.Count, $"{path} in body should have at least {minProperties} properties"));
        }

        if (JsonAccess.Integer(schema, "maxProperties") is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(FieldError.Invalid(path, obj.Count, $"{path} in body should have at most {maxProperties} properties"));
        }
    }

    private static void ValidateArray(JsonArray array, JsonObject schema, string path, List<FieldError> errors)
    {
        if (JsonAccess.Integer(schema, "minItems") is { } minItems && array.Count < minItems)
        {
            errors.Add(FieldError.Invalid(path, array.Count, $"{path} in body should have at least {minItems} items"));
        }

        if (JsonAccess.Integer(schema, "maxItems") is { } maxItems && array.Count > maxItems)
        {
            errors.Add(new FieldError("FieldValueTooMany", path, $"must have at most {maxItems} items", array.Count));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                ValidateValue(array[i], items, $"{path}[{i}]", errors);
            }
        }
    }

    private static void ValidateNumber(decimal number, JsonNode value, JsonObject schema, string path, List<FieldError> errors)
    {
        var exclusiveMinimum = StructuralSchema.Flag(schema, "exclusiveMinimum");
        var exclusiveMaximum = StructuralSchema.Flag(schema, "exclusiveMaximum");
        if (Number(schema, "minimum") is { } minimum && (exclusiveMinimum ? number <= minimum : number < minimum))
        {
            errors.Add(FieldError.Invalid(path, value.DeepClone(), $"{path} in body should be greater than {(exclusiveMinimum ? "" : "or equal to ")}{Render(minimum)}"));
        }

        if (Number(schema, "maximum") is { } maximum && (exclusiveMaximum ? number >= maximum : number > maximum))
        {
            errors.Add(FieldError.Invalid(path, value.DeepClone(), $"{path} in body should be less than {(exclusiveMaximum ? "" : "or equal to ")}{Render(maximum)}"));
        }

        if (Number(schema, "multipleOf") is { } multiple && multiple != 0 && number % multiple != 0)
        {
            errors.Add(FieldError.Invalid(path, value.DeepClone(), $"{path} in body should be a multiple of {Render(multiple)}"));
        }

        var format = StructuralSchema.Text(schema, "format");
        if ((format == "int32" && number is < int.MinValue or > int.MaxValue) || (format == "int64" && number is < long.MinValue or > long.MaxValue))
        {
            errors.Add(FieldError.Invalid(path, value.DeepClone(), $"{path} in body must be of type {format}: \"{Render(number)}\""));
        }
    }

    private static void ValidateString(string text, JsonObject schema, string path, List<FieldError> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (JsonAccess.Integer(schema, "minLength") is { } minLength && length < minLength)
        {
            errors.Add(FieldError.Invalid(path, text, $"{path} in body should be at least {minLength} chars long"));
        }

        if (JsonAccess.Integer(schema, "maxLength") is { } maxLength && length > maxLength)
        {
            errors.Add(new FieldError("FieldValueTooLong", path, $"may not be more than {maxLength} bytes", text));
        }

        if (StructuralSchema.Text(schema, "pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(FieldError.Invalid(path, text, $"{path} in body should match '{pattern}'"));
        }

        var format = StructuralSchema.Text(schema, "format");
        var valid = format switch
        {
            "date-time" => IsDateTime(text),
            "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "uuid" => UuidFormat().IsMatch(text),
            "ipv4" => System.Net.IPAddress.TryParse(text, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') == 3,
            "ipv6" => System.Net.IPAddress.TryParse(text, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
            "byte" => IsBase64(text),
            _ => true,
        };
        if (!valid)
        {
            errors.Add(FieldError.Invalid(path, text, $"{path} in body must be of type {format}: \"{text}\""));
        }
    }

    // RFC 3339 date-time as OpenAPI's strfmt accepts it (a "T", "t" or space separator, optional fraction, Z or an offset).
    private static bool IsDateTime(string text)
    {
        var match = DateTimeFormat().Match(text);
        return match.Success
            && DateTime.TryParseExact(match.Groups["date"].Value + "T" + match.Groups["time"].Value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static string TypeOf(JsonNode value) => value switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => JsonAccess.Integer(v) is not null ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static decimal? Number(JsonObject schema, string name) =>
        schema[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? Decimal(value) : null;

    // Through the JSON text: a value built in code may hold any CLR number type.
    private static decimal? Decimal(JsonValue value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string Render(decimal number) => number.ToString("G29", CultureInfo.InvariantCulture);

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    [GeneratedRegex("^(?<date>\\d{4}-\\d{2}-\\d{2})[Tt ](?<time>\\d{2}:\\d{2}:\\d{2})(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$")]
    private static partial Regex DateTimeFormat();

    [GeneratedRegex("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")]
    private static partial Regex UuidFormat();
}
