using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Operator.Southbound;
using OvnUnidler.Operator.Waking;

namespace OvnUnidler.Operator.Mapping;

/// <summary>
/// The single consumer of the Southbound channel: parses each row, maps its VIP to a Service and
/// hands it to the coordinator. Rows that cannot lead to a wake (malformed, unknown VIP) are
/// acknowledged here with their reason, so they never block a later event of the same VIP; a row
/// whose load balancer's owner is in a namespace we do not serve is left for whoever serves it. Whether the Service is idled is decided by the waker from a fresh
/// read, never from this process' cache.
/// </summary>
public sealed partial class EventMapper(
    SouthboundEventChannel channel,
    ServiceResolver resolver,
    WakeCoordinator coordinator,
    AcknowledgementQueue acknowledgements,
    ReadinessSignals readiness,
    UnidlerMetrics metrics,
    IOptions<UnidlerOptions> options,
    ILogger<EventMapper> logger) : IPipelineStage
{
    public string Name => "mapper";

    private readonly DuplicateRowDetector duplicates = new();
    private readonly HashSet<string> namespaces = new(options.Value.Namespaces, StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // An event mapped before the views are complete would be misjudged as an unknown VIP.
        await readiness.WaitUntilReadyAsync([ReadinessNames.Services, ReadinessNames.Northbound], stoppingToken).ConfigureAwait(false);
        while (await channel.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            while (channel.TryRead(out var rows))
            {
                foreach (var row in rows)
                {
                    Map(row);
                }
            }

            metrics.ChannelDepth("southbound", channel.Depth);
        }
    }

    internal void Map(ControllerEvent row)
    {
        metrics.EventReceived();
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["RowUuid"] = row.RowUuid,
            ["Chassis"] = row.Chassis,
            ["SeqNum"] = row.SeqNum,
        });
        if (duplicates.IsDuplicate(row))
        {
            metrics.DuplicateEvent();
            LogDuplicate(logger, row.RowUuid, row.SeqNum);
        }

        if (row.Chassis is null)
        {
            LogOrphaned(logger, row.RowUuid);
        }

        var parsed = ControllerEventParser.Parse(row);
        if (!parsed.IsValid)
        {
            LogMalformed(logger, row.RowUuid, parsed.Error);
            acknowledgements.Acknowledge([row.RowUuid], EventOutcome.Malformed);
            return;
        }

        var @event = parsed.Event;
        var mapping = resolver.Resolve(@event);
        if (mapping.Service is not { } service || mapping.MatchedBy is not { } matchedBy)
        {
            LogUnknownVip(logger, row.RowUuid, @event.Vip.ToString(), @event.Protocol.ToOvnName(), mapping.Reason);
            acknowledgements.Acknowledge([row.RowUuid], EventOutcome.UnknownVip);
            return;
        }

        if (namespaces.Count > 0 && !namespaces.Contains(service.Namespace) && matchedBy == MatchedBy.LoadBalancerOwner)
        {
            // ovn-kubernetes names the owner, so the row is known to be another instance's (one
            // serving that namespace): deleting it would lose that instance's wake, and while the
            // row exists ovn-controller raises no new one for the VIP from that chassis.
            metrics.EventLeftInPlace();
            LogLeftForOtherNamespace(logger, row.RowUuid, @event.Vip.ToString(), @event.Protocol.ToOvnName(), service.ToString());
            return;
        }

        if (namespaces.Count > 0 && !namespaces.Contains(service.Namespace))
        {
            LogUnknownVip(logger, row.RowUuid, @event.Vip.ToString(), @event.Protocol.ToOvnName(),
                $"Service {service} is outside the namespaces this operator serves");
            acknowledgements.Acknowledge([row.RowUuid], EventOutcome.UnknownVip);
            return;
        }

        metrics.EventMapped(matchedBy);
        if (coordinator.TryCover(service, @event, out var covered))
        {
            LogCovered(logger, row.RowUuid, service.ToString());
            acknowledgements.Acknowledge([row.RowUuid], covered);
            return;
        }

        if (coordinator.Add(service, @event))
        {
            LogMapped(logger, row.RowUuid, @event.Vip.ToString(), @event.Protocol.ToOvnName(), service.ToString(), matchedBy);
        }
        else
        {
            LogCoalesced(logger, row.RowUuid, service.ToString());
        }

        metrics.ActiveWakes(coordinator.ActiveCount);
    }

    [LoggerMessage(EventId = EventIds.EventMalformed, EventName = nameof(EventIds.EventMalformed), Level = LogLevel.Warning,
        Message = "Acknowledging malformed Controller_Event {RowUuid}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, Guid rowUuid, string reason);

    [LoggerMessage(EventId = EventIds.EventUnknownVip, EventName = nameof(EventIds.EventUnknownVip), Level = LogLevel.Information,
        Message = "Acknowledging Controller_Event {RowUuid} for {Vip}/{Protocol}: {Reason}")]
    private static partial void LogUnknownVip(ILogger logger, Guid rowUuid, string vip, string protocol, string? reason);

    [LoggerMessage(EventId = EventIds.EventLeftForOtherNamespace, EventName = nameof(EventIds.EventLeftForOtherNamespace), Level = LogLevel.Information,
        Message = "Leaving Controller_Event {RowUuid} for {Vip}/{Protocol} in place: its load balancer belongs to Service {Service}, outside the namespaces this operator serves")]
    private static partial void LogLeftForOtherNamespace(ILogger logger, Guid rowUuid, string vip, string protocol, string service);

    [LoggerMessage(EventId = EventIds.EventMapped, EventName = nameof(EventIds.EventMapped), Level = LogLevel.Information,
        Message = "Controller_Event {RowUuid} for {Vip}/{Protocol} maps to Service {Service} by {MatchedBy}")]
    private static partial void LogMapped(ILogger logger, Guid rowUuid, string vip, string protocol, string service, MatchedBy matchedBy);

    [LoggerMessage(EventId = EventIds.EventCoalesced, EventName = nameof(EventIds.EventCoalesced), Level = LogLevel.Debug,
        Message = "Controller_Event {RowUuid} joins the wake of Service {Service} under way")]
    private static partial void LogCoalesced(ILogger logger, Guid rowUuid, string service);

    [LoggerMessage(EventId = EventIds.EventCovered, EventName = nameof(EventIds.EventCovered), Level = LogLevel.Debug,
        Message = "Controller_Event {RowUuid} existed before the last wake of Service {Service} finished; acknowledging it with that wake")]
    private static partial void LogCovered(ILogger logger, Guid rowUuid, string service);

    [LoggerMessage(EventId = EventIds.EventDuplicate, EventName = nameof(EventIds.EventDuplicate), Level = LogLevel.Debug,
        Message = "Controller_Event {RowUuid} repeats seq_num {SeqNum} of its chassis")]
    private static partial void LogDuplicate(ILogger logger, Guid rowUuid, long seqNum);

    [LoggerMessage(EventId = EventIds.EventOrphaned, EventName = nameof(EventIds.EventOrphaned), Level = LogLevel.Information,
        Message = "Controller_Event {RowUuid} has no chassis (the chassis was removed); it is handled and deleted like any other")]
    private static partial void LogOrphaned(ILogger logger, Guid rowUuid);
}
