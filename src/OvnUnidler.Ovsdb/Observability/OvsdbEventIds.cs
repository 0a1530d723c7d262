namespace OvnUnidler.Ovsdb.Observability;

// Stable log event ids of the OVSDB client, 9000-9099: the range the operator's registry
// (OvnUnidler.Operator.Observability.EventIds) leaves to this library, which cannot reference it.
public static class OvsdbEventIds
{
    public const int Connected = 9000;
    public const int ConnectionLost = 9001;
    public const int MemberSkipped = 9002;
    public const int Monitoring = 9003;
    public const int MonitorCanceled = 9004;
    public const int ColumnMissing = 9005;
    public const int StateHandlerFailed = 9006;
    public const int NoServerDatabase = 9007;
    public const int MonitorFailed = 9008;
}
