using System.Text.Json;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>The columns of a monitored table as the server's schema declares them (RFC 7047 section 3.2).</summary>
internal static class MonitoredColumns
{
    /// <summary>How update2 carries each column of <paramref name="table"/>; a schema without the table is a protocol error.</summary>
    public static Dictionary<string, OvsdbColumnKind> KindsOf(JsonElement schema, string database, string table)
    {
        if (!schema.GetProperty("tables").TryGetProperty(table, out var tableSchema) || tableSchema.ValueKind != JsonValueKind.Object
            || !tableSchema.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"database {database} has no table {table}");
        }

        // A column named twice keeps its last declaration, as a JSON object lookup finds it.
        var kinds = new Dictionary<string, OvsdbColumnKind>(StringComparer.Ordinal);
        foreach (var column in columns.EnumerateObject())
        {
            kinds[column.Name] = OvsdbWire.ColumnKindOf(column.Value);
        }

        return kinds;
    }
}
