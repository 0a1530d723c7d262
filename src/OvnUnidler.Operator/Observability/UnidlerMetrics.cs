using OvnUnidler.Operator.Model;
using Prometheus;

namespace OvnUnidler.Operator.Observability;

/// <summary>
/// The operator's Prometheus metrics, in a registry of its own so that several operators in one
/// process (tests, the demo) do not share counters.
/// </summary>
public sealed class UnidlerMetrics
{
    private static readonly double[] LatencyBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Counter eventsReceived;
    private readonly Counter eventsHandled;
    private readonly Counter eventsDuplicate;
    private readonly Counter eventsLeftInPlace;
    private readonly Counter eventsMapped;
    private readonly Counter wakes;
    private readonly Histogram wakeLatency;
    private readonly Counter backendTimeouts;
    private readonly Counter rowsDeleted;
    private readonly Histogram ackDuration;
    private readonly Counter ackFailures;
    private readonly Gauge channelDepth;
    private readonly Gauge activeWakes;
    private readonly Gauge databaseConnected;
    private readonly Gauge leader;
    private readonly Counter reportingFailures;
    private readonly Counter backendWrites;
    private readonly Gauge heldRows;
    private readonly Counter refusedWakes;
    private readonly Counter holdDecisions;
    private readonly Gauge activeHolds;
    private readonly Counter heldConnections;
    private readonly Histogram connectionHoldTime;
    private readonly Counter keptDatagrams;
    private readonly Histogram holdDuration;
    private readonly Counter relayedBytes;
    private readonly Counter holdResets;
    private readonly Counter staleHolders;

    public UnidlerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        eventsReceived = factory.CreateCounter("ovn_unidler_events_received_total", "Controller_Event rows of type empty_lb_backends seen.");
        eventsHandled = factory.CreateCounter("ovn_unidler_events_total", "Controller_Event rows acknowledged, by outcome.", "outcome");
        eventsDuplicate = factory.CreateCounter("ovn_unidler_events_duplicate_total", "Rows repeating a (chassis, seq_num) already seen in the same ovn-controller lifetime.");
        eventsLeftInPlace = factory.CreateCounter(
            "ovn_unidler_events_left_in_place_total",
            "Rows whose load balancer's owner is a Service in a namespace this instance does not serve, left for the instance that does.");
        eventsMapped = factory.CreateCounter("ovn_unidler_events_mapped_total", "Rows mapped to a Service, by how the VIP matched.", "matched_by");
        wakes = factory.CreateCounter("ovn_unidler_wakes_total", "Wake attempts, by result.", "result");
        wakeLatency = factory.CreateHistogram(
            "ovn_unidler_wake_latency_seconds",
            "From the first row seen to: the scale issued, ready endpoints, backends present in the load balancer.",
            new HistogramConfiguration { LabelNames = ["stage"], Buckets = LatencyBuckets });
        backendTimeouts = factory.CreateCounter("ovn_unidler_backends_timeouts_total", "Wakes whose backends did not appear before the deadline.");
        rowsDeleted = factory.CreateCounter("ovn_unidler_rows_deleted_total", "Controller_Event rows deleted (acknowledged).");
        ackDuration = factory.CreateHistogram(
            "ovn_unidler_acknowledgement_duration_seconds", "Duration of one batched delete transaction.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        ackFailures = factory.CreateCounter("ovn_unidler_acknowledgement_failures_total", "Delete transactions that failed and were retried.");
        channelDepth = factory.CreateGauge("ovn_unidler_channel_depth", "Items waiting in a pipeline channel.", "channel");
        activeWakes = factory.CreateGauge("ovn_unidler_active_wakes", "Services with a wake under way.");
        databaseConnected = factory.CreateGauge("ovn_unidler_database_connected", "1 while connected to the database.", "database");
        leader = factory.CreateGauge("ovn_unidler_leader", "1 while this instance leads (always 1 in per-zone mode).");
        reportingFailures = factory.CreateCounter("ovn_unidler_reporting_failures_total", "Reports of a finished wake (Idler status, Events) that failed; never fatal.", "reporter");
        backendWrites = factory.CreateCounter("ovn_unidler_backend_writes_total", "Northbound load balancer writes of the backends reconciler (mode write), by result.", "result");
        heldRows = factory.CreateGauge("ovn_unidler_held_rows", "Rows of woken or awake Services waiting for their VIP to have backends before they are acknowledged.");
        refusedWakes = factory.CreateCounter("ovn_unidler_targets_refused_total", "Wake targets the API server refused for good (403, 400, 422); their idle record is kept.");
        holdDecisions = factory.CreateCounter(
            "ovn_unidler_hold_decisions_total", "Wakes judged for connection holding, by decision (held, or the first reason not to).", "decision");
        activeHolds = factory.CreateGauge("ovn_unidler_active_holds", "Services whose connections the holder is holding now.");
        heldConnections = factory.CreateCounter(
            "ovn_unidler_held_connections_total", "TCP connections and UDP flows that reached the holder while their Service woke, by protocol.", "protocol");
        connectionHoldTime = factory.CreateHistogram(
            "ovn_unidler_connection_hold_seconds", "How long a held TCP connection or UDP flow waited for a ready endpoint before it was relayed, by protocol.",
            new HistogramConfiguration { LabelNames = ["protocol"], Buckets = LatencyBuckets });
        keptDatagrams = factory.CreateCounter("ovn_unidler_kept_datagrams_total", "UDP datagrams the holder kept until a pod was ready.");
        holdDuration = factory.CreateHistogram(
            "ovn_unidler_hold_duration_seconds", "From a hold's start to its end, by how it ended (drained, failed).",
            new HistogramConfiguration { LabelNames = ["end"], Buckets = LatencyBuckets });
        relayedBytes = factory.CreateCounter("ovn_unidler_relayed_bytes_total", "Bytes the holder relayed between clients and pods, by direction.", "direction");
        holdResets = factory.CreateCounter(
            "ovn_unidler_hold_resets_total", "TCP connections the holder reset and UDP datagrams it dropped, by protocol and reason.", "protocol", "reason");
        staleHolders = factory.CreateCounter(
            "ovn_unidler_stale_holders_removed_total", "Holder entries left by a dead holder and removed, by where they were (endpoint_slice, load_balancer).", "where");
    }

    public CollectorRegistry Registry { get; }

    public void HoldDecided(string decision) => holdDecisions.WithLabels(decision).Inc();

    public double HoldDecisionsCount(string decision) => holdDecisions.WithLabels(decision).Value;

    public void ActiveHolds(int count) => activeHolds.Set(count);

    public double ActiveHoldsCount => activeHolds.Value;

    public void HoldEnded(string end, TimeSpan duration) => holdDuration.WithLabels(end).Observe(duration.TotalSeconds);

    public void ConnectionHeld(string protocol) => heldConnections.WithLabels(protocol).Inc();

    public double HeldConnectionsCount(string protocol) => heldConnections.WithLabels(protocol).Value;

    public void ConnectionRelayed(string protocol, TimeSpan heldFor) => connectionHoldTime.WithLabels(protocol).Observe(heldFor.TotalSeconds);

    public void DatagramKept() => keptDatagrams.Inc();

    public void BytesRelayed(string direction, long bytes) => relayedBytes.WithLabels(direction).Inc(bytes);

    public void HoldReset(string protocol, string reason) => holdResets.WithLabels(protocol, reason).Inc();

    public double HoldResetsCount(string protocol, string reason) => holdResets.WithLabels(protocol, reason).Value;

    public void StaleHolderRemoved(string where) => staleHolders.WithLabels(where).Inc();

    public double StaleHoldersRemovedCount(string where) => staleHolders.WithLabels(where).Value;

    public double RelayedBytesCount(string direction) => relayedBytes.WithLabels(direction).Value;

    public void EventReceived() => eventsReceived.Inc();

    public void ReportingFailed(string reporter) => reportingFailures.WithLabels(reporter).Inc();

    public void BackendsWritten(bool succeeded) => backendWrites.WithLabels(succeeded ? "written" : "failed").Inc();

    public void HeldRows(int count) => heldRows.Set(count);

    public void TargetsRefused(int count) => refusedWakes.Inc(count);

    public void EventsHandled(EventOutcome outcome, int count) => eventsHandled.WithLabels(Label(outcome)).Inc(count);

    public void DuplicateEvent() => eventsDuplicate.Inc();

    public void EventLeftInPlace() => eventsLeftInPlace.Inc();

    public void EventMapped(MatchedBy matchedBy) => eventsMapped.WithLabels(Label(matchedBy)).Inc();

    public void WakeAttempted(WakeOutcome outcome) => wakes.WithLabels(Label(outcome)).Inc();

    public void WakeStage(string stage, TimeSpan sinceFirstRow) => wakeLatency.WithLabels(stage).Observe(sinceFirstRow.TotalSeconds);

    public void BackendsTimedOut() => backendTimeouts.Inc();

    public void RowsDeleted(int count, TimeSpan duration)
    {
        rowsDeleted.Inc(count);
        ackDuration.Observe(duration.TotalSeconds);
    }

    public void AcknowledgementFailed() => ackFailures.Inc();

    public void ChannelDepth(string channel, int depth) => channelDepth.WithLabels(channel).Set(depth);

    public void ActiveWakes(int count) => activeWakes.Set(count);

    public void DatabaseConnected(string database, bool connected) => databaseConnected.WithLabels(database).Set(connected ? 1 : 0);

    public void Leading(bool isLeader) => leader.Set(isLeader ? 1 : 0);

    public double EventsHandledCount(EventOutcome outcome) => eventsHandled.WithLabels(Label(outcome)).Value;

    public double EventsLeftInPlaceCount => eventsLeftInPlace.Value;

    public bool IsLeading => leader.Value > 0;

    public double RowsDeletedCount => rowsDeleted.Value;

    public double EventReceivedCount => eventsReceived.Value;

    public double BackendsTimeoutsCount => backendTimeouts.Value;

    public double ReportingFailuresCount(string reporter) => reportingFailures.WithLabels(reporter).Value;

    public double WakesCount(WakeOutcome outcome) => wakes.WithLabels(Label(outcome)).Value;

    private static string Label<TEnum>(TEnum value) where TEnum : struct, Enum => MetricLabel<TEnum>.Of(value);
}
