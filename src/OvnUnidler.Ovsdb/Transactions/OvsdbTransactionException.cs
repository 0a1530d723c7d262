namespace OvnUnidler.Ovsdb.Transactions;

/// <summary>
/// A transaction the server refused. RFC 7047 section 4.1.3: the operation that failed carries
/// "error" (and maybe "details"); an error after the last operation is a commit failure
/// ("referential integrity violation", "constraint violation", "timed out", …).
/// </summary>
public sealed class OvsdbTransactionException(int operationIndex, string error, string? details)
    : Exception($"transaction failed at operation {operationIndex}: {error}{(string.IsNullOrEmpty(details) ? "" : ": " + details)}")
{
    public int OperationIndex { get; } = operationIndex;

    public string Error { get; } = error;

    public string? Details { get; } = details;
}
