namespace OvnUnidler.Ovsdb.Transactions;

/// <summary>
/// A transaction the server refused. RFC 7047 section 4.1.3: the operation that failed carries
/// "error" (and maybe "details"); an error after the last operation is a commit failure
/// ("referential integrity violation", "constraint violation", "timed out", …).
/// </summary>
public sealed class OvsdbTransactionException : Exception
{
    public OvsdbTransactionException(int operationIndex, string error, string? details)
        : this(operationIndex, error, details, null)
    {
    }

    /// <param name="operation">The failed operation, e.g. "insert into Controller_Event"; null for a commit failure.</param>
    public OvsdbTransactionException(int operationIndex, string error, string? details, string? operation)
        : base($"transaction failed at {(operation is null ? $"operation {operationIndex} (commit)" : $"operation {operationIndex} ({operation})")}: "
            + $"{error}{(string.IsNullOrEmpty(details) ? "" : ": " + details)}")
    {
        OperationIndex = operationIndex;
        Error = error;
        Details = details;
        Operation = operation;
    }

    public int OperationIndex { get; }

    public string Error { get; }

    public string? Details { get; }

    public string? Operation { get; }
}
