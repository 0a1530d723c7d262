using k8s.Models;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Observability;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Idle;

public sealed partial class ServiceIdler
{
    private async Task<(IReadOnlyList<(ScalableKind Scalable, string Name, int? Replicas, IReadOnlyList<string> Chains)> Wanted, IdleResult? Problem)> WantedTargetsAsync(
        string @namespace, string serviceName, string service, IReadOnlyList<IdleTarget> recorded, IdleRequest request, CancellationToken cancellationToken)
    {
        if (request.ExplicitTargets is { Count: > 0 } named)
        {
            var wanted = new List<(ScalableKind, string, int?, IReadOnlyList<string>)>();
            foreach (var reference in named)
            {
                if (string.IsNullOrEmpty(reference.Kind))
                {
                    return ([], Terminal($"a target named {reference.Name} has no kind"));
                }

                if (string.IsNullOrEmpty(reference.Name))
                {
                    return ([], Terminal($"a target of kind {reference.Kind} has no name"));
                }

                if (reference.Replicas is < 1)
                {
                    return ([], Terminal($"target {reference.Kind}/{reference.Name} asks for {reference.Replicas} replicas on wake; at least 1 is needed"));
                }

                // Any kind: one this server does not scale is refused when its scale is read.
                var scalable = ScalableKind.Of(reference.Kind, reference.Group);
                if (!wanted.Any(entry => entry.Item1 == scalable && entry.Item2 == reference.Name))
                {
                    wanted.Add((scalable, reference.Name, reference.Replicas, []));
                }
            }

            return (wanted, null);
        }

        var search = await finder.FindAsync(@namespace, serviceName, cancellationToken).ConfigureAwait(false);
        if (search.Failure is { } failure)
        {
            return ([], Failed(failure, search.Doing!));
        }

        if (search.Reason is { } reason)
        {
            return ([], Terminal(reason));
        }

        if (search.Targets.Count > 0)
        {
            return (search.Targets.Select(target => (target.Scalable, target.Name, (int?)null, target.Chains)).ToList(), null);
        }

        if (recorded.Count > 0)
        {
            // Idled already, so no pod serves: the recorded targets are checked to be at 0 again
            // (oc would refuse; idling twice is harmless here and keeps the recorded counts).
            return (recorded.Select(target => (target.Scalable, target.Name, (int?)null, (IReadOnlyList<string>)[])).ToList(), null);
        }

        return ([], Terminal(
            $"no pod serves Service {service} (no ready endpoint in its EndpointSlices or Endpoints), so there is nothing to idle; "
            + "as with oc idle, a workload already at 0 is not recorded"));
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
