using Microsoft.Extensions.Logging;

namespace OvnUnidler.Ovsdb.Observability;

/// <summary>The client's log messages, with the stable event ids of <see cref="OvsdbEventIds"/>.</summary>
internal static partial class OvsdbLog
{
    [LoggerMessage(EventId = OvsdbEventIds.Connected, EventName = nameof(OvsdbEventIds.Connected), Level = LogLevel.Information, Message = "Connected to {Remote}")]
    public static partial void Connected(ILogger logger, string remote);

    [LoggerMessage(EventId = OvsdbEventIds.ConnectionLost, EventName = nameof(OvsdbEventIds.ConnectionLost), Level = LogLevel.Warning, Message = "Connection to {Remote} failed or was lost: {Reason}; retrying in {Delay}")]
    public static partial void ConnectionLost(ILogger logger, string remote, string reason, TimeSpan delay);

    [LoggerMessage(EventId = OvsdbEventIds.MemberSkipped, EventName = nameof(OvsdbEventIds.MemberSkipped), Level = LogLevel.Information,
        Message = "Skipping {Remote}: {Reason}")]
    public static partial void MemberSkipped(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = OvsdbEventIds.Monitoring, EventName = nameof(OvsdbEventIds.Monitoring), Level = LogLevel.Debug,
        Message = "Monitor {MonitorId} on {Table}: resumed={Resumed}, transaction {TransactionId}")]
    public static partial void Monitoring(ILogger logger, string monitorId, string table, bool resumed, string transactionId);

    [LoggerMessage(EventId = OvsdbEventIds.MonitorCanceled, EventName = nameof(OvsdbEventIds.MonitorCanceled), Level = LogLevel.Warning,
        Message = "The server cancelled monitor {MonitorId} (database converted or removed); monitoring again with the new schema")]
    public static partial void MonitorCanceled(ILogger logger, string monitorId);

    [LoggerMessage(EventId = OvsdbEventIds.ColumnMissing, EventName = nameof(OvsdbEventIds.ColumnMissing), Level = LogLevel.Warning, Message = "Table {Table} has no column {Column} in this schema; not monitoring it")]
    public static partial void ColumnMissing(ILogger logger, string table, string column);

    [LoggerMessage(EventId = OvsdbEventIds.StateHandlerFailed, EventName = nameof(OvsdbEventIds.StateHandlerFailed), Level = LogLevel.Warning, Message = "A StateChanged handler threw on {Status}")]
    public static partial void StateHandlerFailed(ILogger logger, string status, Exception exception);

    [LoggerMessage(EventId = OvsdbEventIds.NoServerDatabase, EventName = nameof(OvsdbEventIds.NoServerDatabase), Level = LogLevel.Information,
        Message = "The server has no _Server database ({Reason}); taking it as a standalone server")]
    public static partial void NoServerDatabase(ILogger logger, string reason);

    [LoggerMessage(EventId = OvsdbEventIds.MonitorFailed, EventName = nameof(OvsdbEventIds.MonitorFailed), Level = LogLevel.Warning, Message = "Monitor {MonitorId} could not be established: {Reason}; reconnecting")]
    public static partial void MonitorFailed(ILogger logger, string monitorId, string reason);
}
