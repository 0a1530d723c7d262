using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities.Generation;

// additionalPrinterColumns: the annotated spec and status properties in declaration order (those
// of nested objects in the place of the object), then the entity's generic columns. With any columns defined kubectl prints only NAME and these, so
// the generic ones carry Age.
internal static class PrinterColumns
{
    public static IList<V1CustomResourceColumnDefinition> For(Type entityType, Type specType, Type? statusType)
    {
        var columns = new List<V1CustomResourceColumnDefinition>();
        columns.AddRange(FromProperties(".spec", specType));
        if (statusType is not null)
        {
            columns.AddRange(FromProperties(".status", statusType));
        }

        columns.AddRange(entityType.GetCustomAttributes<GenericAdditionalPrinterColumnAttribute>().Select(column => new V1CustomResourceColumnDefinition
        {
            JsonPath = column.JsonPath,
            Name = column.Name,
            Type = column.Type,
            Description = column.Description,
            Format = column.Format,
            Priority = column.Priority == PrinterColumnPriority.WideView ? 1 : null,
        }));
        return columns;
    }

    private static IEnumerable<V1CustomResourceColumnDefinition> FromProperties(string prefix, Type type)
    {
        foreach (var property in EntitySchemaOptions.Serializer.GetTypeInfo(type).Properties)
        {
            if (property.AttributeProvider is not MemberInfo member)
            {
                continue;
            }

            if (member.GetCustomAttribute<AdditionalPrinterColumnAttribute>() is not { } column)
            {
                // A nested object's columns (.status.lastHold.held), in their place among the others.
                if (EntitySchemaOptions.Serializer.GetTypeInfo(property.PropertyType).Kind == JsonTypeInfoKind.Object)
                {
                    foreach (var nested in FromProperties($"{prefix}.{property.Name}", property.PropertyType))
                    {
                        yield return nested;
                    }
                }

                continue;
            }

            yield return new V1CustomResourceColumnDefinition
            {
                JsonPath = $"{prefix}.{property.Name}",
                Name = column.Name ?? member.Name,
                Type = ColumnTypeOf(property),
                Priority = column.Priority == PrinterColumnPriority.WideView ? 1 : null,
            };
        }
    }

    // The printer column types of apiextensions v1: integer, number, string, boolean, date.
    private static string ColumnTypeOf(JsonPropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "date",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "integer",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "number",
            _ when type == typeof(bool) => "boolean",
            _ => "string",
        };
    }
}
