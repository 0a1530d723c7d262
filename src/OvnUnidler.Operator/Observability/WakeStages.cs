namespace OvnUnidler.Operator.Observability;

public static class WakeStages
{
    public const string ScaleIssued = "scale_issued";
    public const string EndpointsReady = "endpoints_ready";
    public const string BackendsPresent = "backends_present";
}
