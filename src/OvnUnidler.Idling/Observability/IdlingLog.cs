using Microsoft.Extensions.Logging;

namespace OvnUnidler.Idling.Observability;

internal static partial class IdlingLog
{
    [LoggerMessage(EventId = IdlingEventIds.WakeStarted, EventName = nameof(IdlingEventIds.WakeStarted), Level = LogLevel.Debug, Message = "Waking Service {Service} ({Trigger})")]
    public static partial void WakeStarted(this ILogger logger, string service, string trigger);

    [LoggerMessage(EventId = IdlingEventIds.WakeNotIdled, EventName = nameof(IdlingEventIds.WakeNotIdled), Level = LogLevel.Debug, Message = "Service {Service} is not idled; nothing to wake")]
    public static partial void WakeNotIdled(this ILogger logger, string service);

    [LoggerMessage(EventId = IdlingEventIds.RecordNote, EventName = nameof(IdlingEventIds.RecordNote), Level = LogLevel.Information, Message = "Service {Service}: {Note}")]
    public static partial void RecordNote(this ILogger logger, string service, string note);

    [LoggerMessage(EventId = IdlingEventIds.TargetScaledUp, EventName = nameof(IdlingEventIds.TargetScaledUp), Level = LogLevel.Information, Message = "Scaled {Target} of Service {Service} from 0 to {Replicas} replicas")]
    public static partial void TargetScaledUp(this ILogger logger, string service, string target, int replicas);

    [LoggerMessage(EventId = IdlingEventIds.TargetAlreadyRunning, EventName = nameof(IdlingEventIds.TargetAlreadyRunning), Level = LogLevel.Information, Message = "{Target} of Service {Service} already runs {Replicas} replicas; left alone")]
    public static partial void TargetAlreadyRunning(this ILogger logger, string service, string target, int replicas);

    [LoggerMessage(EventId = IdlingEventIds.ScaleConflict, EventName = nameof(IdlingEventIds.ScaleConflict), Level = LogLevel.Debug, Message = "{Target} of Service {Service} changed while we scaled it (409, attempt {Attempt}); reading it again")]
    public static partial void ScaleConflict(this ILogger logger, string service, string target, int attempt);

    [LoggerMessage(EventId = IdlingEventIds.TargetNotFound, EventName = nameof(IdlingEventIds.TargetNotFound), Level = LogLevel.Warning, Message = "{Target} of Service {Service} does not exist; it cannot be scaled")]
    public static partial void TargetNotFound(this ILogger logger, string service, string target);

    [LoggerMessage(EventId = IdlingEventIds.TargetFailed, EventName = nameof(IdlingEventIds.TargetFailed), Level = LogLevel.Warning, Message = "{Target} of Service {Service} could not be scaled: {Reason}")]
    public static partial void TargetFailed(this ILogger logger, string service, string target, string reason);

    [LoggerMessage(EventId = IdlingEventIds.AnnotationsCleared, EventName = nameof(IdlingEventIds.AnnotationsCleared), Level = LogLevel.Information, Message = "Removed the idle annotations of Service {Service}")]
    public static partial void AnnotationsCleared(this ILogger logger, string service);

    [LoggerMessage(EventId = IdlingEventIds.ServiceConflict, EventName = nameof(IdlingEventIds.ServiceConflict), Level = LogLevel.Debug, Message = "Service {Service} changed while we updated it (409, attempt {Attempt}); reading it again")]
    public static partial void ServiceConflict(this ILogger logger, string service, int attempt);

    [LoggerMessage(EventId = IdlingEventIds.RecordChanged, EventName = nameof(IdlingEventIds.RecordChanged), Level = LogLevel.Information, Message = "The idle record of Service {Service} changed during the wake; the next attempt acts on the new one")]
    public static partial void RecordChanged(this ILogger logger, string service);

    [LoggerMessage(EventId = IdlingEventIds.WakeTerminal, EventName = nameof(IdlingEventIds.WakeTerminal), Level = LogLevel.Warning, Message = "Service {Service} cannot be woken: {Reason}")]
    public static partial void WakeTerminal(this ILogger logger, string service, string reason);

    [LoggerMessage(EventId = IdlingEventIds.WakeRetry, EventName = nameof(IdlingEventIds.WakeRetry), Level = LogLevel.Information, Message = "Wake of Service {Service} is incomplete, retry after {Delay}: {Reason}")]
    public static partial void WakeRetry(this ILogger logger, string service, TimeSpan delay, string reason);

    [LoggerMessage(EventId = IdlingEventIds.NeedPodsRecorded, EventName = nameof(IdlingEventIds.NeedPodsRecorded), Level = LogLevel.Debug, Message = "Recorded the NeedPods event of Service {Service}")]
    public static partial void NeedPodsRecorded(this ILogger logger, string service);

    [LoggerMessage(EventId = IdlingEventIds.NeedPodsFailed, EventName = nameof(IdlingEventIds.NeedPodsFailed), Level = LogLevel.Warning, Message = "Could not record the NeedPods event of Service {Service} (the wake itself succeeded): {Reason}")]
    public static partial void NeedPodsFailed(this ILogger logger, string service, string reason);

    [LoggerMessage(EventId = IdlingEventIds.IdleRecorded, EventName = nameof(IdlingEventIds.IdleRecorded), Level = LogLevel.Information, Message = "Recorded {Count} idle targets on Service {Service}: {Targets}")]
    public static partial void IdleRecorded(this ILogger logger, string service, int count, string targets);

    [LoggerMessage(EventId = IdlingEventIds.TargetScaledDown, EventName = nameof(IdlingEventIds.TargetScaledDown), Level = LogLevel.Information, Message = "Scaled {Target} of Service {Service} from {Replicas} to 0 replicas")]
    public static partial void TargetScaledDown(this ILogger logger, string service, string target, int replicas);

    [LoggerMessage(EventId = IdlingEventIds.IdleFailed, EventName = nameof(IdlingEventIds.IdleFailed), Level = LogLevel.Warning, Message = "Service {Service} cannot be idled: {Reason}")]
    public static partial void IdleFailed(this ILogger logger, string service, string reason);

    [LoggerMessage(EventId = IdlingEventIds.IdlePlanned, EventName = nameof(IdlingEventIds.IdlePlanned), Level = LogLevel.Information, Message = "Dry run: Service {Service} would be idled with targets {Targets}")]
    public static partial void IdlePlanned(this ILogger logger, string service, string targets);

    [LoggerMessage(EventId = IdlingEventIds.IdleRetry, EventName = nameof(IdlingEventIds.IdleRetry), Level = LogLevel.Information, Message = "Idling Service {Service} is incomplete, retry after {Delay}: {Reason}")]
    public static partial void IdleRetry(this ILogger logger, string service, TimeSpan delay, string reason);
}
