namespace OvnUnidler.Idling.Observability;

// Stable log event ids of the idling library, 8000-8099: the range the operator's registry
// (OvnUnidler.Operator.Observability.EventIds) leaves to this library, which cannot reference it.
public static class IdlingEventIds
{
    public const int WakeStarted = 8000;
    public const int TargetScaledUp = 8001;
    public const int TargetAlreadyRunning = 8002;
    public const int ScaleConflict = 8003;
    public const int TargetNotFound = 8004;
    public const int TargetFailed = 8005;
    public const int AnnotationsCleared = 8006;
    public const int ServiceConflict = 8007;
    public const int WakeTerminal = 8008;
    public const int WakeRetry = 8009;
    public const int NeedPodsRecorded = 8010;
    public const int NeedPodsFailed = 8011;
    public const int RecordChanged = 8012;
    public const int WakeNotIdled = 8013;
    public const int RecordNote = 8014;

    public const int IdleRecorded = 8020;
    public const int TargetScaledDown = 8021;
    public const int IdleFailed = 8022;
    public const int IdlePlanned = 8023;
    public const int IdleRetry = 8024;
}
