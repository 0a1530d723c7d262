using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// The oracle: the exceptions the client documents for what a server sends. A broken stream is an
/// <see cref="OvsdbProtocolException"/> (the connection is reset and resumed), a closed one an
/// <see cref="OvsdbConnectionException"/>, an error reply an <see cref="OvsdbErrorException"/> or
/// <see cref="OvsdbTransactionException"/>, a member the _Server rows rule out a reconnect to another
/// member. Any other exception escaping the decoder is a crash.
/// </summary>
public static class DocumentedErrors
{
    public static bool IsDocumented(Exception exception) =>
        exception is OvsdbProtocolException or OvsdbConnectionException or OvsdbErrorException or OvsdbTransactionException
            or MemberRefusedException;
}
