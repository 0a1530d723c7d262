namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>The peer sent something that is not the OVSDB JSON-RPC protocol; the connection is reset.</summary>
public sealed class OvsdbProtocolException(string message, Exception? inner = null) : Exception(message, inner);
