namespace OvnUnidler.Holding.Listening;

/// <summary>Why what still waits for an endpoint is given up: the hold failed, its deadline passed, or the holder stops.</summary>
internal enum HoldFailure
{
    Failed,
    Deadline,
    Shutdown,
}
