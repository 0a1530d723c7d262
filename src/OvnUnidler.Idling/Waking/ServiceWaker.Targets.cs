using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Observability;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Waking;

public sealed partial class ServiceWaker
{
    // Scales one target from 0 to its recorded replicas, conditional on the resourceVersion of
    // the scale we read. Above 0 it is never touched (never scale down, never fight whoever
    // scaled it); a 409 means it changed under us, so we read it again and decide again.
    private async Task<TargetWake> WakeTargetAsync(string @namespace, string service, IdleTarget target, CancellationToken cancellationToken)
    {
        var name = target.ToString();
        for (var attempt = 1; attempt <= options.ConflictRetries + 1; attempt++)
        {
            var read = await api.CallAsync(token => workloads.ReadScaleAsync(target.Scalable, @namespace, target.Name, token), cancellationToken).ConfigureAwait(false);
            if (read.Failure is { } readFailure)
            {
                return TargetFailed(service, target, readFailure, "reading its scale");
            }

            var scale = read.Value!;
            if (scale.Replicas > 0)
            {
                logger.TargetAlreadyRunning(service, name, scale.Replicas);
                return new TargetWake(target, TargetWakeOutcome.AlreadyRunning, scale.Replicas);
            }

            var written = await api.CallAsync(
                token => workloads.WriteScaleAsync(target.Scalable, @namespace, target.Name, scale, target.Replicas, token),
                cancellationToken).ConfigureAwait(false);
            if (written.Succeeded)
            {
                logger.TargetScaledUp(service, name, target.Replicas);
                return new TargetWake(target, TargetWakeOutcome.ScaledUp, target.Replicas);
            }

            if (written.Failure!.Kind != ApiFailureKind.Conflict)
            {
                return TargetFailed(service, target, written.Failure, "scaling it up");
            }

            logger.ScaleConflict(service, name, attempt);
        }

        var reason = $"it changed under every one of {options.ConflictRetries + 1} attempts (409)";
        logger.TargetFailed(service, name, reason);
        return new TargetWake(target, TargetWakeOutcome.Failed, Detail: reason);
    }

    private TargetWake TargetFailed(string service, IdleTarget target, ApiFailure failure, string doing)
    {
        var detail = $"{doing}: {failure.Reason}";
        switch (failure.Kind)
        {
            case ApiFailureKind.NotFound:
                logger.TargetNotFound(service, target.ToString());
                return new TargetWake(target, TargetWakeOutcome.NotFound, Detail: $"{target} does not exist");
            case ApiFailureKind.Rejected:
                logger.TargetFailed(service, target.ToString(), detail);
                return new TargetWake(target, TargetWakeOutcome.Rejected, Detail: detail);
            default:
                logger.TargetFailed(service, target.ToString(), detail);
                return new TargetWake(target, TargetWakeOutcome.Failed, Detail: detail) { RetryAfter = failure.RetryAfter };
        }
    }

    // A Service idled without unidle-targets (only */idled-at): its targets are the workloads
    // it selects that carry previous-scale, as `oc idle` leaves on DeploymentConfigs and
    // ReplicationControllers.
    private async Task<ApiOutcome<IReadOnlyList<IdleTarget>>> PreviousScaleTargetsAsync(string @namespace, k8s.Models.V1Service service, CancellationToken cancellationToken)
    {
        var found = await discovery.FindAsync(@namespace, service.Spec?.Selector, cancellationToken).ConfigureAwait(false);
        if (found.Failure is { } failure)
        {
            return ApiOutcome<IReadOnlyList<IdleTarget>>.Failed(failure);
        }

        var targets = new List<IdleTarget>();
        foreach (var workload in found.Value!)
        {
            if (workload.Annotations.TryGetValue(IdleAnnotations.PreviousScale, out var value))
            {
                var replicas = IdleRecordParser.ParsePreviousScale(value);
                if (replicas is null)
                {
                    logger.RecordNote($"{@namespace}/{service.Metadata.Name}", $"{workload} has {IdleAnnotations.PreviousScale} '{value}', which is not a replica count; skipped");
                    continue;
                }

                targets.Add(IdleTarget.Create(workload.Scalable, workload.Name, Math.Max(replicas.Value, 1)));
            }
        }

        return ApiOutcome<IReadOnlyList<IdleTarget>>.Ok(targets);
    }

    // OpenShift's unidling controller removes previous-scale and idled-at from the
    // DeploymentConfigs and ReplicationControllers it wakes, and the idle annotations an older oc
    // left on the Service's Endpoints; so do we, before the Service's annotations, so that a
    // failure here is retried while the Service still says idled.
    private async Task<ApiFailure?> ClearTargetAnnotationsAsync(string @namespace, string service, IReadOnlyList<TargetWake> outcomes, CancellationToken cancellationToken)
    {
        var removal = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [IdleAnnotations.PreviousScale] = null,
            [IdleAnnotations.IdledAt] = null,
        };
        foreach (var outcome in outcomes.Where(outcome => outcome.IsDone && outcome.Target.Scalable.CarriesPreviousScale))
        {
            var patched = await api.CallAsync(
                token => workloads.PatchAnnotationsAsync(outcome.Target.Scalable, @namespace, outcome.Target.Name, removal, token),
                cancellationToken).ConfigureAwait(false);
            switch (patched.Failure?.Kind)
            {
                case null or ApiFailureKind.NotFound:
                    break;
                case ApiFailureKind.Transient or ApiFailureKind.Conflict:
                    return patched.Failure! with { Reason = $"clearing the idle annotations of {outcome.Target}: {patched.Failure!.Reason}" };
                default:
                    logger.TargetFailed(service, outcome.Target.ToString(), $"clearing its idle annotations: {patched.Failure!.Reason}");
                    break;
            }
        }

        // `service` is NAMESPACE/NAME, and the Endpoints object has the Service's name.
        endpointsLeftovers ??= new EndpointsLeftovers(client, api, logger);
        return await endpointsLeftovers.RemoveAsync(@namespace, service[(@namespace.Length + 1)..], cancellationToken).ConfigureAwait(false);
    }

    private EndpointsLeftovers? endpointsLeftovers;
}
