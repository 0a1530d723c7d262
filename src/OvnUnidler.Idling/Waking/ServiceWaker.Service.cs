using k8s;
using k8s.Models;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Observability;

namespace OvnUnidler.Idling.Waking;

public sealed partial class ServiceWaker
{
    // Removes the idle annotations (unidle-targets, every */idled-at and the wake-started marker)
    // and stamps k8s.ovn.org/unidled-at, conditional on the Service's resourceVersion. On 409 the Service is
    // read again: if another caller cleared it meanwhile we are done; if someone rewrote the
    // idle record (idled it again) we stop and let the next call act on the new record; if
    // only something else changed, we try again on the new version. OpenShift's controller
    // instead overwrote blindly or gave up, which left idled-at on running Services.
    private async Task<Clearing> ClearServiceAnnotationsAsync(
        string @namespace, string serviceName, string service, V1Service current, IdleRecord actedOn, IReadOnlyList<IdleTarget> keep, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= options.ConflictRetries + 1; attempt++)
        {
            var parsed = IdleRecordParser.Parse(current.Metadata.Annotations);
            if (parsed.Status == IdleRecordStatus.NotIdled)
            {
                return new Clearing(ClearingStatus.AlreadyCleared, current);
            }

            if (parsed.Status == IdleRecordStatus.Invalid || parsed.Record!.TargetsAnnotationValue != actedOn.TargetsAnnotationValue)
            {
                logger.RecordChanged(service);
                return new Clearing(ClearingStatus.RecordChanged, current);
            }

            // Targets the API server refused keep their entries (and replica counts), and the
            // Service stays idled for them: nothing idled is forgotten.
            var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (keep.Count == 0)
            {
                foreach (var key in parsed.Record.IdledAtKeys)
                {
                    changes[key] = null;
                }
            }

            if (parsed.Record.HasTargetsAnnotation)
            {
                changes[IdleAnnotations.UnidleTargets] = keep.Count == 0 ? null : IdleRecordWriter.SerializeTargets(keep);
            }

            if (current.Metadata.Annotations?.ContainsKey(IdleAnnotations.WakeStarted) == true)
            {
                changes[IdleAnnotations.WakeStarted] = null;
            }

            if (current.Metadata.Annotations?.ContainsKey(IdleAnnotations.PreviousScale) == true)
            {
                changes[IdleAnnotations.PreviousScale] = null;
            }

            if (keep.Count == 0)
            {
                changes[IdleAnnotations.OvnUnidledAt] = IdleAnnotations.FormatTimestamp(timeProvider.GetUtcNow());
            }
            var patch = new V1Patch(AnnotationPatch.Build(changes, current.Metadata.ResourceVersion), V1Patch.PatchType.MergePatch);
            var patched = await api.CallAsync(
                token => client.CoreV1.PatchNamespacedServiceAsync(patch, serviceName, @namespace, cancellationToken: token),
                cancellationToken).ConfigureAwait(false);
            if (patched.Succeeded)
            {
                logger.AnnotationsCleared(service);
                return new Clearing(ClearingStatus.Cleared, patched.Value);
            }

            switch (patched.Failure!.Kind)
            {
                case ApiFailureKind.NotFound:
                    return new Clearing(ClearingStatus.ServiceGone, null);
                case ApiFailureKind.Conflict:
                    logger.ServiceConflict(service, attempt);
                    break;
                default:
                    return new Clearing(ClearingStatus.Failed, current, patched.Failure);
            }

            var reread = await api.CallAsync(token => client.CoreV1.ReadNamespacedServiceAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
            if (reread.Failure is { } readFailure)
            {
                return readFailure.Kind == ApiFailureKind.NotFound
                    ? new Clearing(ClearingStatus.ServiceGone, null)
                    : new Clearing(ClearingStatus.Failed, current, readFailure);
            }

            current = reread.Value!;
        }

        return new Clearing(
            ClearingStatus.Failed,
            current,
            new ApiFailure(ApiFailureKind.Transient, $"the Service changed under every one of {options.ConflictRetries + 1} attempts (409)"));
    }

    private enum ClearingStatus
    {
        Cleared,
        AlreadyCleared,
        RecordChanged,
        ServiceGone,
        Failed,
    }

    private sealed record Clearing(ClearingStatus Status, V1Service? Service, ApiFailure? Failure = null);
}
