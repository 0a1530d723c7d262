using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.CustomResources;

namespace OvnUnidler.KubernetesDouble.Tables;

// A custom resource's Table: Name, then its CRD version's additionalPrinterColumns (or Age when
// it defines none). A date column is shown as an age; a value the path does not find is an
// empty (null) cell.
internal static class CustomColumns
{
    public static IReadOnlyList<TableColumn> For(CustomResourceDefinition definition)
    {
        if (definition.Columns.Count == 0)
        {
            return [BuiltInColumns.Name, BuiltInColumns.Age];
        }

        var columns = new List<TableColumn> { BuiltInColumns.Name };
        foreach (var column in definition.Columns)
        {
            columns.Add(new TableColumn(column with { Type = column.Type == "date" ? "date" : column.Type }, (obj, now) => Cell(column, obj, now)));
        }

        return columns;
    }

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        var value = SimpleJsonPath.First(obj, column.JsonPath);
        if (value is null)
        {
            return null;
        }

        if (column.Type == "date" && value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            return Cells.Since(text.GetValue<string>(), now);
        }

        return value is JsonValue scalar && column.Type == "string" && scalar.GetValueKind() != JsonValueKind.String ? scalar.ToJsonString() : value.DeepClone();
    }
}
