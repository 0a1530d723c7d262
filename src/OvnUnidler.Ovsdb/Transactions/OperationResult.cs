using System.Text.Json;

namespace OvnUnidler.Ovsdb.Transactions;

/// <summary>The result of one operation: count for update/mutate/delete, uuid for insert, rows for select.</summary>
public sealed record OperationResult(long? Count, Guid? Uuid, JsonElement? Rows)
{
    public static OperationResult From(JsonElement result)
    {
        long? count = result.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var n) ? n : null;
        Guid? uuid = result.TryGetProperty("uuid", out var u) && Wire.OvsdbWire.TryReadUuid(u, out var g) ? g : null;
        JsonElement? rows = result.TryGetProperty("rows", out var r) ? r.Clone() : null;
        return new OperationResult(count, uuid, rows);
    }
}
