using Microsoft.Extensions.Logging;

namespace OvnUnidler.Holding.Observability;

internal static partial class HoldingLog
{
    [LoggerMessage(EventId = HoldingEventIds.HoldStarted, EventName = nameof(HoldingEventIds.HoldStarted), Level = LogLevel.Information, Message = "Holding Service {Service} until {Deadline}: {Listeners}")]
    public static partial void HoldStarted(this ILogger logger, string service, DateTimeOffset deadline, string listeners);

    [LoggerMessage(EventId = HoldingEventIds.HoldEnded, EventName = nameof(HoldingEventIds.HoldEnded), Level = LogLevel.Information, Message = "Hold of Service {Service} ended {End}{Cause}; {Waiting} connections and flows still waited for an endpoint")]
    public static partial void HoldEnded(this ILogger logger, string service, HoldEnd end, string cause, int waiting);

    [LoggerMessage(EventId = HoldingEventIds.HoldRefused, EventName = nameof(HoldingEventIds.HoldRefused), Level = LogLevel.Warning, Message = "Cannot hold Service {Service}: {Reason}; it wakes without holding")]
    public static partial void HoldRefused(this ILogger logger, string service, string reason);

    [LoggerMessage(EventId = HoldingEventIds.EndpointsReady, EventName = nameof(HoldingEventIds.EndpointsReady), Level = LogLevel.Debug, Message = "Service {Service} port {Port} has {Count} ready endpoints; forwarding what is held")]
    public static partial void EndpointsReady(this ILogger logger, string service, string port, int count);

    [LoggerMessage(EventId = HoldingEventIds.HoldListenerFailed, EventName = nameof(HoldingEventIds.HoldListenerFailed), Level = LogLevel.Error, Message = "The listener of Service {Service} port {Port} failed and no longer takes connections")]
    public static partial void HoldListenerFailed(this ILogger logger, string service, string port, Exception exception);

    [LoggerMessage(EventId = HoldingEventIds.ConnectionReset, EventName = nameof(HoldingEventIds.ConnectionReset), Level = LogLevel.Information, Message = "Reset the connection of {Client} to Service {Service} port {Port}: {Reason}")]
    public static partial void ConnectionReset(this ILogger logger, string service, string port, string client, ResetReason reason);

    [LoggerMessage(EventId = HoldingEventIds.ConnectFailed, EventName = nameof(HoldingEventIds.ConnectFailed), Level = LogLevel.Warning, Message = "Could not connect to endpoint {Endpoint} of Service {Service} port {Port}: {Error}")]
    public static partial void ConnectFailed(this ILogger logger, string service, string port, string endpoint, string error);

    [LoggerMessage(EventId = HoldingEventIds.RelayFailed, EventName = nameof(HoldingEventIds.RelayFailed), Level = LogLevel.Warning, Message = "Relaying the connection of {Client} to Service {Service} port {Port} failed; both sides were reset")]
    public static partial void RelayFailed(this ILogger logger, string service, string port, string client, Exception exception);

    [LoggerMessage(EventId = HoldingEventIds.DatagramDropped, EventName = nameof(HoldingEventIds.DatagramDropped), Level = LogLevel.Debug, Message = "Dropped a datagram of {Client} to Service {Service} port {Port}: {Reason}")]
    public static partial void DatagramDropped(this ILogger logger, string service, string port, string client, DropReason reason);

    [LoggerMessage(EventId = HoldingEventIds.FlowExpired, EventName = nameof(HoldingEventIds.FlowExpired), Level = LogLevel.Debug, Message = "The UDP flow of {Client} to Service {Service} port {Port} was idle for {Idle}; dropped with {Kept} kept datagrams")]
    public static partial void FlowExpired(this ILogger logger, string service, string port, string client, TimeSpan idle, int kept);

    [LoggerMessage(EventId = HoldingEventIds.FlowFailed, EventName = nameof(HoldingEventIds.FlowFailed), Level = LogLevel.Warning, Message = "The UDP flow of {Client} to Service {Service} port {Port} failed and was closed")]
    public static partial void FlowFailed(this ILogger logger, string service, string port, string client, Exception exception);
}
