namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// The connection failed or closed. For a transaction sent before the failure the outcome is
/// unknown (it may have committed); callers retry only idempotent transactions.
/// </summary>
public sealed class OvsdbConnectionException(string message, Exception? inner = null) : Exception(message, inner);
