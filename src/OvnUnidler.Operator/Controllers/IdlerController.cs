using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OvnUnidler.Entities;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Idle;
using OvnUnidler.Idling.Waking;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// Reconciles an Idler with its Service. The desired state is acted on once per spec change
/// (metadata.generation newer than status.observedGeneration): setting Idled idles the Service,
/// and traffic may wake it afterwards without the controller idling it again; setting Active wakes
/// it. The phase is read from the Service every time, so `oc idle` and waking by traffic show up.
/// </summary>
public sealed partial class IdlerController(
    IKubernetes client,
    ServiceIdler idler,
    ServiceWaker waker,
    WakeCoordinator coordinator,
    IdlerIndex index,
    TimeProvider timeProvider,
    ILogger<IdlerController> logger) : IEntityController<V1Alpha1Idler>
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private static readonly string[] RefreshedFields = ["phase", "idledAt", "message", "observedGeneration"];

    public async Task<ReconciliationResult<V1Alpha1Idler>> ReconcileAsync(V1Alpha1Idler entity, CancellationToken cancellationToken)
    {
        var ns = entity.Metadata.NamespaceProperty;
        var serviceName = entity.Spec.ServiceName;
        var status = entity.Status ?? new V1Alpha1IdlerStatus();
        var generation = entity.Metadata.Generation ?? 0;
        string? message = null;
        TimeSpan? retry = null;
        var applied = status.ObservedGeneration != generation;
        if (applied)
        {
            (message, retry) = await ApplyDesiredStateAsync(entity, ns, serviceName, status, cancellationToken).ConfigureAwait(false);
        }

        V1Service? service;
        try
        {
            service = await client.CoreV1.ReadNamespacedServiceAsync(serviceName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            service = null;
        }

        var record = service is null ? null : IdleRecordParser.Parse(service.Metadata.Annotations);
        status.Phase = service is null ? null
            : coordinator.IsActive(new ServiceKey(ns, serviceName)) ? IdlerPhase.Waking
            : record?.Status == IdleRecordStatus.NotIdled ? IdlerPhase.Active
            : IdlerPhase.Idled;
        status.IdledAt = record?.Record?.IdledAt ?? status.IdledAt;
        status.Message = service is null ? $"Service {ns}/{serviceName} does not exist"
            : record?.Status == IdleRecordStatus.Invalid ? $"the Service's idle annotations are broken: {record.Reason}"
            : message;
        if (retry is null)
        {
            status.ObservedGeneration = generation;
        }

        if (applied)
        {
            await WriteStatusAsync(entity, status, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RefreshStatusAsync(entity, status, cancellationToken).ConfigureAwait(false);
        }

        LogReconciled(logger, ns, entity.Metadata.Name, status.Phase?.ToString() ?? "Unknown");
        return ReconciliationResult<V1Alpha1Idler>.Success(entity, retry ?? RefreshInterval);
    }

    public Task<ReconciliationResult<V1Alpha1Idler>> DeletedAsync(V1Alpha1Idler entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconciliationResult<V1Alpha1Idler>.Success(entity));

    /// <summary>
    /// Records a wake done by the pipeline in the status of the Idler(s) for that Service: the wake
    /// count goes up by one per wake, written conditionally on the Idler's resourceVersion and
    /// re-read on 409, so that two instances (zones) recording at once never lose a count. A target
    /// the API server refused shows as the condition WakeRefused.
    /// </summary>
    public async Task RecordWakeAsync(WakeReport report, CancellationToken cancellationToken)
    {
        if (index.TryHasIdlers(report.Service, out var hasIdlers) && !hasIdlers)
        {
            return;
        }

        var idlers = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<V1Alpha1Idler>>(
            V1Alpha1Idler.Group, V1Alpha1Idler.Version, report.Service.Namespace, V1Alpha1Idler.Plural,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var listed in idlers.Items.Where(item => item.Spec?.ServiceName == report.Service.Name))
        {
            var entity = listed;
            for (var attempt = 1; ; attempt++)
            {
                var status = WithWake(entity.Status ?? new V1Alpha1IdlerStatus(), entity.Metadata.Generation, report);
                try
                {
                    await WriteStatusAsync(entity, status, cancellationToken, entity.Metadata.ResourceVersion).ConfigureAwait(false);
                    break;
                }
                catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Conflict && attempt < MaxStatusConflicts)
                {
                    entity = await client.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1Idler>(
                        V1Alpha1Idler.Group, V1Alpha1Idler.Version, entity.Metadata.NamespaceProperty, V1Alpha1Idler.Plural, entity.Metadata.Name,
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private const int MaxStatusConflicts = 10;

    private V1Alpha1IdlerStatus WithWake(V1Alpha1IdlerStatus status, long? generation, WakeReport report)
    {
        if (report.Outcome == Model.EventOutcome.Woken)
        {
            status.WakeCount++;
            status.LastWakeTime = report.ScaleIssuedAt ?? report.FinishedAt;
            if (report.ScaleIssuedAt is { } issued)
            {
                status.LastWakeLatency = V1Alpha1IdlerStatus.FormatLatency(issued - report.FirstSeen);
            }

            var first = report.Events.OrderBy(@event => @event.Row.SeenAt).FirstOrDefault();
            status.LastEventChassis = first?.Row.Chassis?.ToString() ?? (first is null ? status.LastEventChassis : "(removed)");
            status.LastEventRow = first?.RowUuid.ToString() ?? status.LastEventRow;
            status.Phase = IdlerPhase.Active;
            status.Message = report.Reason;
        }

        var conditions = status.Conditions ?? [];
        var refused = conditions.FirstOrDefault(condition => condition.Type == WakeRefusedCondition);
        var now = timeProvider.GetUtcNow();
        if (report.Refusal is { } refusal)
        {
            if (refused is null)
            {
                refused = new IdlerCondition { Type = WakeRefusedCondition };
                conditions.Add(refused);
            }

            if (refused.Status != ConditionStatus.True)
            {
                refused.LastTransitionTime = now;
            }

            (refused.Status, refused.Reason, refused.Message, refused.ObservedGeneration) = (ConditionStatus.True, RefusalEvent.Reason, refusal, generation);
        }
        else if (refused is { Status: ConditionStatus.True } && report.Outcome == Model.EventOutcome.Woken)
        {
            (refused.Status, refused.Reason, refused.Message, refused.LastTransitionTime) = (ConditionStatus.False, "Woken", "every target was woken", now);
        }

        status.Conditions = conditions.Count == 0 ? status.Conditions : conditions;
        return status;
    }

    public const string WakeRefusedCondition = "WakeRefused";

    private async Task<(string? Message, TimeSpan? Retry)> ApplyDesiredStateAsync(
        V1Alpha1Idler entity, string ns, string serviceName, V1Alpha1IdlerStatus status, CancellationToken cancellationToken)
    {
        if (entity.Spec.DesiredState == IdlerDesiredState.Idled)
        {
            var targets = entity.Spec.Targets?.Select(target => new IdleTargetReference(target.Kind.ToString(), target.Name)
            {
                Group = target.Group,
                Replicas = target.Replicas,
            }).ToArray();
            var result = await idler.IdleAsync(ns, serviceName, new IdleRequest { ExplicitTargets = targets }, cancellationToken).ConfigureAwait(false);
            return result.Status switch
            {
                IdleStatus.RetryAfter => (result.Reason, result.Delay ?? TimeSpan.FromSeconds(1)),
                IdleStatus.Terminal => ($"cannot idle: {result.Reason}", null),
                _ => (null, null),
            };
        }

        var started = timeProvider.GetUtcNow();
        var wake = await waker.WakeAsync(ns, serviceName, WakeContext.Manual, cancellationToken).ConfigureAwait(false);
        switch (wake.Status)
        {
            case WakeStatus.Woken:
                status.WakeCount++;
                status.LastWakeTime = timeProvider.GetUtcNow();
                status.LastWakeLatency = V1Alpha1IdlerStatus.FormatLatency(timeProvider.GetUtcNow() - started);
                return (null, null);
            case WakeStatus.RetryAfter:
                return (wake.Reason, wake.Delay ?? TimeSpan.FromSeconds(1));
            case WakeStatus.Terminal:
                return ($"cannot wake: {wake.Reason}", null);
            default:
                return (null, null);
        }
    }

    private async Task WriteStatusAsync(V1Alpha1Idler entity, V1Alpha1IdlerStatus status, CancellationToken cancellationToken, string? resourceVersion = null)
    {
        // A merge patch of status alone: it cannot overwrite a spec changed meanwhile. With a
        // resourceVersion it applies only to that version (409 otherwise). lastHold has its own
        // writer (RecordHoldAsync): a status read earlier could only carry an older one.
        var body = JsonNode.Parse(KubernetesJson.Serialize(status))!.AsObject();
        body.Remove("lastHold");
        await PatchStatusAsync(entity, body, resourceVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A refresh writes only what it observes (phase, idledAt, message, observedGeneration): the
    /// entity it was handed may be older than a wake recorded meanwhile, whose count, times and
    /// conditions a whole-status write would put back (found as a lost wakeCount under load).
    /// </summary>
    private async Task RefreshStatusAsync(V1Alpha1Idler entity, V1Alpha1IdlerStatus status, CancellationToken cancellationToken)
    {
        var full = JsonNode.Parse(KubernetesJson.Serialize(status))!.AsObject();
        var refreshed = new JsonObject();
        foreach (var key in RefreshedFields)
        {
            // An explicit null removes the field (RFC 7386), e.g. the phase of a Service that is gone.
            refreshed[key] = full[key]?.DeepClone();
        }

        await PatchStatusAsync(entity, refreshed, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task PatchStatusAsync(V1Alpha1Idler entity, JsonObject status, string? resourceVersion, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(
            resourceVersion is null
                ? new JsonObject { ["status"] = status }.ToJsonString()
                : new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion }, ["status"] = status }.ToJsonString(),
            V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            patch, V1Alpha1Idler.Group, V1Alpha1Idler.Version, entity.Metadata.NamespaceProperty, V1Alpha1Idler.Plural, entity.Metadata.Name,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = EventIds.IdlerReconciled, EventName = nameof(EventIds.IdlerReconciled), Level = LogLevel.Debug, Message = "Idler {Namespace}/{Name} is {Phase}")]
    private static partial void LogReconciled(ILogger logger, string @namespace, string name, string phase);
}
