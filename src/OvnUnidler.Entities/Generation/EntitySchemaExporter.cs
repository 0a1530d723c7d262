using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities.Generation;

// Exports a type's JSON schema with System.Text.Json's JsonSchemaExporter and adds what the
// exporter does not know: descriptions, required properties and minimums from our attributes,
// and the OpenAPI integer formats.
internal static class EntitySchemaExporter
{
    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Transform,
    };

    public static JsonNode Export(Type type) =>
        EntitySchemaOptions.Serializer.GetJsonSchemaAsNode(type, ExporterOptions);

    public static string? DescriptionOf(ICustomAttributeProvider? provider) =>
        provider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true).OfType<DescriptionAttribute>().FirstOrDefault()?.Description;

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node)
        {
            return schema;
        }

        var clrType = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        var property = context.PropertyInfo?.AttributeProvider;
        if ((DescriptionOf(property) ?? DescriptionOf(clrType)) is { } description)
        {
            node["description"] = description;
        }

        if (property?.GetCustomAttributes(typeof(RangeMinimumAttribute), inherit: true).OfType<RangeMinimumAttribute>().FirstOrDefault() is { } minimum)
        {
            node["minimum"] = minimum.Minimum;
            if (minimum.ExclusiveMinimum)
            {
                node["exclusiveMinimum"] = true;
            }
        }

        if (clrType == typeof(int))
        {
            node["format"] = "int32";
        }
        else if (clrType == typeof(long))
        {
            node["format"] = "int64";
        }

        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object)
        {
            var required = context.TypeInfo.Properties
                .Where(member => member.IsRequired || member.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
                .Select(member => (JsonNode)member.Name)
                .ToArray();
            node.Remove("required");
            if (required.Length > 0)
            {
                node["required"] = new JsonArray(required);
            }
        }

        return node;
    }
}
