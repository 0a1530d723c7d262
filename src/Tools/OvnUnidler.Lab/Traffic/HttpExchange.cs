namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// One request of the HTTP client, on the wall clock (UTC): when it sent the first SYN (curl's
/// "Trying" line, right before connect(2)), when the connection was established, and when the
/// first byte of the response arrived (the status line).
/// </summary>
public sealed record HttpExchange(
    DateTime StartedAt, DateTime? FirstSynAt, DateTime? ConnectedAt, DateTime? FirstByteAt, string? StatusLine, string Body, int ExitCode, string Trace)
{
    public bool Succeeded => ExitCode == 0 && StatusLine is not null && StatusLine.Contains(" 200", StringComparison.Ordinal);
}
