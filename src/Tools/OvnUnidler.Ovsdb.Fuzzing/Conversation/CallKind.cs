namespace OvnUnidler.Ovsdb.Fuzzing.Conversation;

/// <summary>What the client does with the reply to a call (RFC 7047 section 4.1 and ovsdb-server(7)).</summary>
public enum CallKind
{
    ListDatabases,
    GetSchema,
    SetDbChangeAware,
    Monitor,
    MonitorCancel,
    Transact,
    Echo,
    UnknownMethod,
}
