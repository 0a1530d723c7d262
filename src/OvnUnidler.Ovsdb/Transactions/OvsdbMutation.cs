using System.Text.Json.Nodes;

namespace OvnUnidler.Ovsdb.Transactions;

/// <summary>A mutation [column, mutator, value] (RFC 7047 section 5.1): +=, -=, insert, delete, …</summary>
public sealed record OvsdbMutation(string Column, string Mutator, JsonNode Value)
{
    public JsonArray ToJson() => new(Column, Mutator, Value.DeepClone());
}
