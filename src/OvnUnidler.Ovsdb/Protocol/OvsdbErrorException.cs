namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>An error reply from the server: the JSON-RPC error, or a transaction's error object (RFC 7047 section 3.1).</summary>
public sealed class OvsdbErrorException(string error, string? details, string? method = null)
    : Exception($"{(method is null ? "" : method + ": ")}{error}{(string.IsNullOrEmpty(details) ? "" : ": " + details)}")
{
    public string Error { get; } = error;

    public string? Details { get; } = details;
}
