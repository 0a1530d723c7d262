using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Transactions;

/// <summary>A condition [column, function, value] (RFC 7047 section 5.1), in where clauses of operations and monitors.</summary>
public sealed record OvsdbCondition(string Column, string Function, JsonNode Value)
{
    public static OvsdbCondition Uuid(Guid uuid) => new("_uuid", "==", OvsdbWire.Uuid(uuid));

    public static OvsdbCondition Equal(string column, string value) => new(column, "==", JsonValue.Create(value));

    public JsonArray ToJson() => new(Column, Function, Value.DeepClone());
}
