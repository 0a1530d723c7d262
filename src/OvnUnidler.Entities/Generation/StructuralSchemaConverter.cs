using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace OvnUnidler.Entities.Generation;

// Turns a JSON Schema (draft 2020-12, as JsonSchemaExporter writes it) into the structural
// OpenAPI v3 schema that apiextensions.k8s.io/v1 requires: every node has one `type`, nullability
// is `nullable: true` (never a ["string","null"] union), no `$schema`, no `$ref` (inlined), and
// only the keywords the API server accepts. Anything else is a bug in the entity types and fails
// the generation with the path that caused it, instead of producing a CRD the server rejects.
internal static class StructuralSchemaConverter
{
    private static readonly HashSet<string> Known =
    [
        "$schema", "$ref", "type", "description", "enum", "properties", "required", "items",
        "additionalProperties", "format", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
        "pattern", "minLength", "maxLength", "minItems", "maxItems", "default",
    ];

    public static V1JSONSchemaProps Convert(JsonNode schema) => Convert(schema, schema, "#", []);

    private static V1JSONSchemaProps Convert(JsonNode? node, JsonNode root, string path, HashSet<string> resolving)
    {
        if (node is not JsonObject schema)
        {
            throw new InvalidOperationException($"Schema at {path} is '{node?.ToJsonString() ?? "null"}', not an object with a type; a structural schema needs a type everywhere.");
        }

        if (schema["$ref"] is { } reference)
        {
            return Inline(schema, reference.GetValue<string>(), root, path, resolving);
        }

        foreach (var (keyword, _) in schema)
        {
            if (!Known.Contains(keyword))
            {
                throw new InvalidOperationException($"Schema at {path} uses '{keyword}', which a structural schema does not allow.");
            }
        }

        var (type, nullable) = TypeOf(schema, path);
        var props = new V1JSONSchemaProps
        {
            Type = type,
            Nullable = nullable ? true : null,
            Description = schema["description"]?.GetValue<string>(),
            Format = schema["format"]?.GetValue<string>(),
            Pattern = schema["pattern"]?.GetValue<string>(),
            Minimum = schema["minimum"]?.GetValue<double>(),
            ExclusiveMinimum = schema["exclusiveMinimum"]?.GetValue<bool>(),
            Maximum = schema["maximum"]?.GetValue<double>(),
            ExclusiveMaximum = schema["exclusiveMaximum"]?.GetValue<bool>(),
            MinLength = schema["minLength"]?.GetValue<long>(),
            MaxLength = schema["maxLength"]?.GetValue<long>(),
            MinItems = schema["minItems"]?.GetValue<long>(),
            MaxItems = schema["maxItems"]?.GetValue<long>(),
        };

        if (schema["enum"] is JsonArray values)
        {
            props.EnumProperty = values.Where(value => value is not null).Select(value => ScalarOf(value!, path)).ToList();
        }

        if (schema["properties"] is JsonObject properties)
        {
            props.Properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
            foreach (var (name, child) in properties)
            {
                props.Properties[name] = Convert(child, root, $"{path}/properties/{name}", resolving);
            }
        }

        if (schema["required"] is JsonArray required && required.Count > 0)
        {
            props.Required = required.Select(name => name!.GetValue<string>()).ToList();
        }

        if (schema["items"] is { } items)
        {
            props.Items = Convert(items, root, $"{path}/items", resolving);
        }

        switch (schema["additionalProperties"])
        {
            case JsonObject additional:
                props.AdditionalProperties = Convert(additional, root, $"{path}/additionalProperties", resolving);
                break;
            case JsonValue allowed when allowed.GetValue<bool>():
                props.XKubernetesPreserveUnknownFields = true;
                break;
        }

        return props;
    }

    private static V1JSONSchemaProps Inline(JsonObject schema, string reference, JsonNode root, string path, HashSet<string> resolving)
    {
        if (!resolving.Add(reference))
        {
            throw new InvalidOperationException($"Schema at {path} refers to {reference} recursively; a CRD schema cannot describe recursive types.");
        }

        try
        {
            var inlined = Convert(Resolve(root, reference, path), root, path, resolving);
            if (schema["description"]?.GetValue<string>() is { } description)
            {
                inlined.Description = description;
            }

            return inlined;
        }
        finally
        {
            resolving.Remove(reference);
        }
    }

    // JSON pointers (RFC 6901) relative to the document root, the only kind the exporter writes.
    private static JsonNode Resolve(JsonNode root, string reference, string path)
    {
        if (!reference.StartsWith('#'))
        {
            throw new InvalidOperationException($"Schema at {path} refers to '{reference}', outside the document.");
        }

        var current = root;
        foreach (var token in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject obj when obj[key] is { } next => next,
                JsonArray array when int.TryParse(key, out var index) && index < array.Count && array[index] is { } next => next,
                _ => throw new InvalidOperationException($"Schema at {path} refers to '{reference}', which does not exist."),
            };
        }

        return current;
    }

    private static (string Type, bool Nullable) TypeOf(JsonObject schema, string path)
    {
        var nullable = false;
        var types = new List<string>();
        switch (schema["type"])
        {
            case JsonValue single:
                types.Add(single.GetValue<string>());
                break;
            case JsonArray several:
                types.AddRange(several.Select(type => type!.GetValue<string>()));
                break;
            case null when schema["enum"] is JsonArray values:
                // The exporter leaves `type` out for string enums; the values tell it.
                types.AddRange(values.Select(value => value is null ? "null" : TypeOfValue(value, path)).Distinct());
                break;
        }

        if (types.Remove("null"))
        {
            nullable = true;
        }

        if (schema["enum"] is JsonArray enumValues && enumValues.Any(value => value is null))
        {
            nullable = true;
        }

        return types.Count switch
        {
            1 => (types[0], nullable),
            0 => throw new InvalidOperationException($"Schema at {path} has no type; a structural schema needs one everywhere."),
            _ => throw new InvalidOperationException($"Schema at {path} allows several types ({string.Join(", ", types)}); a structural schema allows one."),
        };
    }

    private static string TypeOfValue(JsonNode value, string path) => value.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => throw new InvalidOperationException($"Schema at {path} has an enum value {value.ToJsonString()} that is not a scalar."),
    };

    private static object ScalarOf(JsonNode value, string path) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.GetValue<double>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new InvalidOperationException($"Schema at {path} has an enum value {value.ToJsonString()} that is not a scalar."),
    };
}
