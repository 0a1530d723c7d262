using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// The structural-schema rules a v1 CRD must meet (CustomResourceDefinitions, "Specifying a
// structural schema"), as far as the double relies on them: a type on every node (unless
// x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields says otherwise), object at
// the root, and properties and additionalProperties never together.
internal static class StructuralSchema
{
    private static readonly string[] Types = ["object", "array", "string", "integer", "number", "boolean"];

    public static void CheckStructural(JsonObject schema, string path, bool isRoot, List<FieldError> errors)
    {
        var type = Text(schema, "type");
        var intOrString = Flag(schema, "x-kubernetes-int-or-string");
        var preserve = Flag(schema, "x-kubernetes-preserve-unknown-fields");
        if (type is null && !intOrString && !preserve)
        {
            errors.Add(FieldError.Required(path + ".type", isRoot ? "must not be empty at the root" : "must not be empty for specified object fields"));
        }
        else if (type is not null && !Types.Contains(type))
        {
            errors.Add(FieldError.NotSupported(path + ".type", type, Types));
        }

        if (isRoot && type is not null && type != "object")
        {
            errors.Add(FieldError.Invalid(path + ".type", type, "must be object at the root"));
        }

        if (schema["properties"] is JsonObject && schema["additionalProperties"] is JsonObject)
        {
            errors.Add(FieldError.Forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            if (child is JsonObject childSchema)
            {
                CheckStructural(childSchema, $"{path}.properties[{name}]", isRoot: false, errors);
            }
        }

        if (schema["items"] is JsonObject items)
        {
            CheckStructural(items, path + ".items", isRoot: false, errors);
        }
        else if (type == "array")
        {
            errors.Add(FieldError.Required(path + ".items", "must be specified"));
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            CheckStructural(additional, path + ".additionalProperties", isRoot: false, errors);
        }
    }

    internal static string? Text(JsonObject? schema, string name) =>
        schema?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static bool Flag(JsonObject? schema, string name) =>
        schema?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
