namespace OvnUnidler.Operator.Observability;

/// <summary>
/// Stable log event ids, one place for all of them (grep-able in any log backend), each with one
/// meaning: the [LoggerMessage] that uses an id is named after it (EventName = nameof(EventIds.X)).
/// The libraries the operator loads log from their own catalogues, in ranges kept out of this one
/// because they cannot reference it: OvnUnidler.Idling's IdlingEventIds 8000-8099,
/// OvnUnidler.Holding's HoldingEventIds 8100-8199 (the connection holder) and
/// OvnUnidler.Ovsdb's OvsdbEventIds 9000-9099. A test reads every [LoggerMessage] of the shipped
/// assemblies and fails on an id missing from these catalogues or used for two events.
/// </summary>
public static class EventIds
{
    public const int EventReceived = 1000;
    public const int EventMalformed = 1001;
    public const int EventUnknownVip = 1002;
    public const int EventMapped = 1003;
    public const int EventCoalesced = 1004;
    public const int EventDuplicate = 1005;
    public const int EventOrphaned = 1006;
    public const int RowRemovedByOthers = 1007;
    public const int EventCovered = 1008;
    public const int EventLeftForOtherNamespace = 1009;
    public const int HeldRowsRemapped = 1010;

    public const int WakeStarted = 2000;
    public const int WakeSucceeded = 2001;
    public const int WakeNotIdled = 2002;
    public const int WakeAlreadyAwake = 2003;
    public const int WakeRetry = 2004;
    public const int WakeTerminal = 2005;
    public const int WakeRetriesExhausted = 2006;
    public const int WakeObserverFailed = 2007;

    public const int BackendsPresent = 3000;
    public const int BackendsTimedOut = 3001;
    public const int BackendsWritten = 3002;
    public const int BackendsWriteFailed = 3003;
    public const int BackendsWithoutLoadBalancer = 3004;
    public const int BackendsReconciled = 3005;
    public const int BackendsReconcileFailed = 3006;

    public const int HoldDecided = 3100;
    public const int HoldUnavailable = 3101;
    public const int HoldStarted = 3102;
    public const int HoldEnded = 3103;
    public const int HoldNoRoom = 3104;
    public const int HolderSlicePublished = 3105;
    public const int HolderSliceRemoved = 3106;
    public const int HolderSliceFailed = 3107;
    public const int StaleHolderRemoved = 3108;
    public const int HoldStartFailed = 3109;
    public const int HoldSuperseded = 3110;
    public const int HoldReportFailed = 3111;
    public const int HolderStamped = 3112;
    public const int HolderStampFailed = 3113;
    public const int StaleHolderBackendsRemoved = 3114;
    public const int StaleHolderSweepFailed = 3115;
    public const int StaleHolderRenewedMeanwhile = 3116;

    public const int RowsDeleted = 4000;
    public const int RowDeleteFailed = 4001;

    public const int WatchStarted = 5000;
    public const int WatchExpired = 5001;
    public const int WatchFailed = 5002;
    public const int ViewSynced = 5003;
    public const int DatabaseConnected = 5004;
    public const int DatabaseDisconnected = 5005;
    public const int StartupHeapReleased = 5006;

    public const int LeadershipAcquired = 6000;
    public const int LeadershipLost = 6001;
    public const int LeadershipCampaignFailed = 6004;
    public const int HttpEndpointListening = 6005;
    public const int HttpEndpointAcceptFailed = 6006;
    public const int HttpEndpointBusy = 6007;
    public const int HttpEndpointFailed = 6002;
    public const int PipelineFaulted = 6003;
    public const int LeaseRenewFailed = 6008;
    public const int LeaseReleased = 6009;
    public const int LeaseReleaseFailed = 6010;

    public const int IdlerReconciled = 7000;
    public const int IdlerReconcileFailed = 7001;
    public const int CustomResourceMissing = 7002;
    public const int CustomResourceServed = 7003;
}
