using k8s.Models;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Observability;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Idle;

public sealed partial class ServiceIdler
{
    private async Task<(IReadOnlyList<(ScalableKind Scalable, string Name, int? Replicas)> Wanted, IdleResult? Problem)> WantedTargetsAsync(
        string @namespace, string service, V1Service current, IdleRequest request, CancellationToken cancellationToken)
    {
        if (request.ExplicitTargets is { Count: > 0 } named)
        {
            var wanted = new List<(ScalableKind, string, int?)>();
            foreach (var reference in named)
            {
                if (string.IsNullOrEmpty(reference.Name))
                {
                    return ([], Terminal($"a target of kind {reference.Kind} has no name"));
                }

                if (reference.Replicas is < 1)
                {
                    return ([], Terminal($"target {reference.Kind}/{reference.Name} asks for {reference.Replicas} replicas on wake; at least 1 is needed"));
                }

                if (ScalableKind.Find(reference.Kind, reference.Group) is not { } scalable)
                {
                    return ([], Terminal($"target {reference.Kind}/{reference.Name}{(reference.Group is null ? "" : $" in group '{reference.Group}'")} cannot be idled; known kinds: {ScalableKind.KnownKinds}"));
                }

                if (!wanted.Any(entry => entry.Item1 == scalable && entry.Item2 == reference.Name))
                {
                    wanted.Add((scalable, reference.Name, reference.Replicas));
                }
            }

            return (wanted, null);
        }

        var selector = current.Spec?.Selector;
        if (selector is null || selector.Count == 0)
        {
            return ([], Terminal($"Service {service} has no selector, so its workloads cannot be found; name them explicitly"));
        }

        var found = await discovery.FindAsync(@namespace, selector, cancellationToken).ConfigureAwait(false);
        if (found.Failure is { } failure)
        {
            return ([], Failed(failure, $"finding the workloads of Service {service}"));
        }

        if (found.Value!.Count == 0)
        {
            var labels = string.Join(",", selector.Select(pair => $"{pair.Key}={pair.Value}"));
            return ([], Terminal($"no {ScalableKind.KnownKinds} in {@namespace} has a pod template matching the selector {labels} of Service {service}"));
        }

        return (found.Value.Select(workload => (workload.Scalable, workload.Name, (int?)null)).ToList(), null);
    }

    // Scales one target to 0, conditional on the version read (a 409 re-reads), then stamps
    // previous-scale and idled-at on DeploymentConfigs and ReplicationControllers as oc does.
    // previous-scale is the recorded count, not the current one: for a target already at 0
    // (idled twice) oc would write 0, which no one can wake to.
    private async Task<IdleTargetResult> ScaleToZeroAsync(string @namespace, string service, IdleTarget target, int before, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = IdleTargetOutcome.Failed;
        string? detail = $"it changed under every one of {options.ConflictRetries + 1} attempts (409)";
        for (var attempt = 1; attempt <= options.ConflictRetries + 1; attempt++)
        {
            var read = await api.CallAsync(token => workloads.ReadScaleAsync(target.Scalable, @namespace, target.Name, token), cancellationToken).ConfigureAwait(false);
            if (read.Failure is { } readFailure)
            {
                (outcome, detail) = (OutcomeOf(readFailure), $"reading its scale: {readFailure.Reason}");
                break;
            }

            if (read.Value!.Replicas == 0)
            {
                (outcome, detail) = (IdleTargetOutcome.AlreadyAtZero, null);
                break;
            }

            var written = await api.CallAsync(
                token => workloads.WriteScaleAsync(target.Scalable, @namespace, target.Name, read.Value, 0, token),
                cancellationToken).ConfigureAwait(false);
            if (written.Succeeded)
            {
                logger.TargetScaledDown(service, target.ToString(), read.Value.Replicas);
                (outcome, detail) = (IdleTargetOutcome.ScaledToZero, null);
                break;
            }

            if (written.Failure!.Kind != ApiFailureKind.Conflict)
            {
                (outcome, detail) = (OutcomeOf(written.Failure), $"scaling it to 0: {written.Failure.Reason}");
                break;
            }

            logger.ScaleConflict(service, target.ToString(), attempt);
        }

        if ((outcome is IdleTargetOutcome.ScaledToZero or IdleTargetOutcome.AlreadyAtZero) && target.Scalable.CarriesPreviousScale)
        {
            var stamped = await api.CallAsync(
                token => workloads.PatchAnnotationsAsync(target.Scalable, @namespace, target.Name, IdleRecordWriter.ScalableAnnotations(target.Replicas, now), token),
                cancellationToken).ConfigureAwait(false);
            if (stamped.Failure is { } failure && failure.Kind != ApiFailureKind.NotFound)
            {
                (outcome, detail) = (OutcomeOf(failure), $"stamping {IdleAnnotations.PreviousScale}: {failure.Reason}");
            }
        }

        if (detail is not null)
        {
            logger.TargetFailed(service, target.ToString(), detail);
        }

        return new IdleTargetResult(target, before, outcome, detail);
    }

    private static IdleTargetOutcome OutcomeOf(ApiFailure failure) => failure.Kind switch
    {
        ApiFailureKind.NotFound => IdleTargetOutcome.NotFound,
        ApiFailureKind.Rejected => IdleTargetOutcome.Rejected,
        _ => IdleTargetOutcome.Failed,
    };
}
