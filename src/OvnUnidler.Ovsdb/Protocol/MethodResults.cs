using System.Text.Json;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// Reads the results of the RFC 7047 methods whose reply is one JSON value (section 4.1.1 list_dbs,
/// 4.1.2 get_schema, 4.1.3 transact). A result of the wrong shape is the server breaking the
/// protocol: <see cref="OvsdbProtocolException"/>.
/// </summary>
public static class MethodResults
{
    /// <summary>list_dbs: an array of database names.</summary>
    public static IReadOnlyList<string> DatabaseNames(JsonRpcMessage response)
    {
        using var document = Parse(response, "list_dbs");
        return document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.EnumerateArray().All(name => name.ValueKind == JsonValueKind.String)
            ? [.. document.RootElement.EnumerateArray().Select(name => name.GetString()!)]
            : throw new OvsdbProtocolException($"the list_dbs result is not an array of names: {JsonRpcMessage.Describe(response.Result.Span)}");
    }

    /// <summary>get_schema: a database schema, which must have a tables object (section 3.2).</summary>
    public static JsonElement Schema(JsonRpcMessage response, string database)
    {
        using var document = Parse(response, "get_schema");
        var schema = document.RootElement;
        return schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("tables", out var tables) && tables.ValueKind == JsonValueKind.Object
            ? schema.Clone()
            : throw new OvsdbProtocolException($"the schema of {database} has no tables object");
    }

    internal static JsonDocument Parse(JsonRpcMessage response, string method)
    {
        try
        {
            return JsonDocument.Parse(response.Result);
        }
        catch (JsonException exception)
        {
            throw new OvsdbProtocolException($"the {method} result is not JSON: {exception.Message}", exception);
        }
    }
}
