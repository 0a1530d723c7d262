using k8s;
using k8s.Models;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Observability;

namespace OvnUnidler.Idling.Idle;

public sealed partial class ServiceIdler
{
    // Writes the merged record on the Service, conditional on its resourceVersion; on 409 it
    // reads the Service again and merges with what is recorded now (another idler may have
    // written a record meanwhile: its counts are kept, as oc keeps old counts).
    private async Task<Recording> RecordOnServiceAsync(
        string @namespace, string serviceName, string service, V1Service current, IReadOnlyList<ObservedTarget> observed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= options.ConflictRetries + 1; attempt++)
        {
            var existing = RecordedTargets(current, service, out var broken);
            if (broken is not null)
            {
                return new Recording(null, null, Terminal(broken));
            }

            var merged = IdleRecordWriter.Merge(existing, observed);
            var annotations = IdleRecordWriter.ServiceAnnotations(merged, now);
            var changes = new Dictionary<string, string?>(annotations, StringComparer.Ordinal);
            if (current.Metadata.Annotations?.ContainsKey(IdleAnnotations.WakeStarted) == true)
            {
                // A new idle period: its wake records NeedPods again.
                changes[IdleAnnotations.WakeStarted] = null;
            }

            var patch = new V1Patch(AnnotationPatch.Build(changes, current.Metadata.ResourceVersion), V1Patch.PatchType.MergePatch);
            var patched = await api.CallAsync(
                token => client.CoreV1.PatchNamespacedServiceAsync(patch, serviceName, @namespace, cancellationToken: token),
                cancellationToken).ConfigureAwait(false);
            if (patched.Succeeded)
            {
                return new Recording(merged, annotations, null);
            }

            switch (patched.Failure!.Kind)
            {
                case ApiFailureKind.NotFound:
                    return new Recording(null, null, Terminal($"Service {service} was deleted while it was being idled"));
                case ApiFailureKind.Conflict:
                    logger.ServiceConflict(service, attempt);
                    break;
                default:
                    return new Recording(null, null, Failed(patched.Failure, $"recording the targets on Service {service}"));
            }

            var reread = await api.CallAsync(token => client.CoreV1.ReadNamespacedServiceAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
            if (reread.Failure is { } readFailure)
            {
                return new Recording(null, null, readFailure.Kind == ApiFailureKind.NotFound
                    ? Terminal($"Service {service} was deleted while it was being idled")
                    : Failed(readFailure, $"reading Service {service}"));
            }

            current = reread.Value!;
        }

        return new Recording(null, null, new IdleResult
        {
            Status = IdleStatus.RetryAfter,
            Delay = options.DefaultRetryAfter,
            Reason = $"Service {service} changed under every one of {options.ConflictRetries + 1} attempts (409)",
        });
    }

    private sealed record Recording(IReadOnlyList<IdleTarget>? Targets, IReadOnlyDictionary<string, string?>? Annotations, IdleResult? Result);
}
