using System.Text.Json.Nodes;

namespace OvnUnidler.Ovsdb.Transactions;

/// <summary>One operation of a transact request (RFC 7047 section 5.2).</summary>
public sealed class OvsdbOperation
{
    private OvsdbOperation(JsonObject json) => Json = json;

    public JsonObject Json { get; }

    public static OvsdbOperation Insert(string table, JsonObject row, string? uuidName = null)
    {
        var json = new JsonObject { ["op"] = "insert", ["table"] = table, ["row"] = row };
        if (uuidName is not null)
        {
            json["uuid-name"] = uuidName;
        }

        return new OvsdbOperation(json);
    }

    public static OvsdbOperation Select(string table, IEnumerable<OvsdbCondition> where, IEnumerable<string>? columns = null)
    {
        var json = new JsonObject { ["op"] = "select", ["table"] = table, ["where"] = Where(where) };
        if (columns is not null)
        {
            json["columns"] = new JsonArray([.. columns.Select(column => (JsonNode)column)]);
        }

        return new OvsdbOperation(json);
    }

    public static OvsdbOperation Update(string table, IEnumerable<OvsdbCondition> where, JsonObject row) =>
        new(new JsonObject { ["op"] = "update", ["table"] = table, ["where"] = Where(where), ["row"] = row });

    public static OvsdbOperation Mutate(string table, IEnumerable<OvsdbCondition> where, IEnumerable<OvsdbMutation> mutations) =>
        new(new JsonObject
        {
            ["op"] = "mutate", ["table"] = table, ["where"] = Where(where),
            ["mutations"] = new JsonArray([.. mutations.Select(mutation => (JsonNode)mutation.ToJson())]),
        });

    public static OvsdbOperation Delete(string table, IEnumerable<OvsdbCondition> where) =>
        new(new JsonObject { ["op"] = "delete", ["table"] = table, ["where"] = Where(where) });

    public static OvsdbOperation Delete(string table, OvsdbCondition where) => Delete(table, [where]);

    /// <summary>Waits until the selected rows' columns equal (or differ from) <paramref name="rows"/>, or fails after the timeout.</summary>
    public static OvsdbOperation Wait(
        string table, IEnumerable<OvsdbCondition> where, IEnumerable<string> columns, JsonArray rows, bool untilEqual = true, int? timeoutMilliseconds = null)
    {
        var json = new JsonObject
        {
            ["op"] = "wait", ["table"] = table, ["where"] = Where(where),
            ["columns"] = new JsonArray([.. columns.Select(column => (JsonNode)column)]),
            ["until"] = untilEqual ? "==" : "!=", ["rows"] = rows,
        };
        if (timeoutMilliseconds is { } timeout)
        {
            json["timeout"] = timeout;
        }

        return new OvsdbOperation(json);
    }

    /// <summary>"insert into Controller_Event", for error messages.</summary>
    public string Describe()
    {
        var op = Json["op"]?.GetValue<string>() ?? "?";
        return Json["table"] is { } table ? $"{op} {(op == "insert" ? "into" : "on")} {table.GetValue<string>()}" : op;
    }

    public static OvsdbOperation Comment(string text) => new(new JsonObject { ["op"] = "comment", ["comment"] = text });

    private static JsonArray Where(IEnumerable<OvsdbCondition> where) => new([.. where.Select(condition => (JsonNode)condition.ToJson())]);
}
