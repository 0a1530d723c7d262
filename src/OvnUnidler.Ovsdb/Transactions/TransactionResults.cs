using System.Text.Json;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Transactions;

/// <summary>Reads a transact reply (RFC 7047 section 4.1.3): one result per operation, or an error object where it failed.</summary>
public static class TransactionResults
{
    /// <summary>
    /// The operations' results; a refused transaction throws <see cref="OvsdbTransactionException"/>
    /// naming the operation and the server's error.
    /// </summary>
    public static IReadOnlyList<OperationResult> Read(JsonRpcMessage response, IReadOnlyList<OvsdbOperation> operations)
    {
        using var document = MethodResults.Parse(response, "transact");
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"the transact result is not an array: {JsonRpcMessage.Describe(response.Result.Span)}");
        }

        var results = new List<OperationResult>(operations.Count);
        var index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                throw new OvsdbTransactionException(
                    index,
                    error.GetString()!,
                    element.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.String ? details.GetString() : null,
                    index < operations.Count ? operations[index].Describe() : null);
            }

            if (index < operations.Count)
            {
                results.Add(element.ValueKind == JsonValueKind.Object ? OperationResult.From(element) : new OperationResult(null, null, null));
            }

            index++;
        }

        return results;
    }
}
