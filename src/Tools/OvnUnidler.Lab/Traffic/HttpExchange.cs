namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// One request of the HTTP client, on the wall clock (UTC): when it sent the first SYN (curl's
/// "Trying" line, right before connect(2)), when the connection was established, and when the
/// first byte of the response arrived (the status line).
/// </summary>
public sealed record HttpExchange(
    DateTime StartedAt, DateTime? FirstSynAt, DateTime? ConnectedAt, DateTime? FirstByteAt, string? StatusLine, string Body, int ExitCode, string Trace)
{
    /// <summary>curl's exit code for a timeout (CURLE_OPERATION_TIMEDOUT), --connect-timeout's as well as --max-time's.</summary>
    public const int TimedOutExitCode = 28;

    public bool Succeeded => ExitCode == 0 && StatusLine is not null && StatusLine.Contains(" 200", StringComparison.Ordinal);

    /// <summary>The TCP handshake completed.</summary>
    public bool Connected => ConnectedAt is not null;

    /// <summary>curl gave up before the handshake completed: its connect timeout (or max time) passed.</summary>
    public bool TimedOutConnecting => ConnectedAt is null && ExitCode == TimedOutExitCode;
}
