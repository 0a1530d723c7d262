namespace OvnUnidler.Holding.Observability;

// Stable log event ids of the connection holder, 8100-8199: the range the operator's registry
// (OvnUnidler.Operator.Observability.EventIds) leaves to this library, which cannot reference it.
public static class HoldingEventIds
{
    public const int HoldStarted = 8100;
    public const int HoldEnded = 8101;
    public const int HoldRefused = 8102;
    public const int EndpointsReady = 8103;
    public const int HoldListenerFailed = 8104;

    public const int ConnectionReset = 8110;
    public const int ConnectFailed = 8111;
    public const int RelayFailed = 8112;

    public const int DatagramDropped = 8120;
    public const int FlowExpired = 8121;
    public const int FlowFailed = 8122;
}
