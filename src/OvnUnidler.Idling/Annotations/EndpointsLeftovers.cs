using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Observability;

namespace OvnUnidler.Idling.Annotations;

// oc idle from 4.7 to 4.15 wrote unidle-targets and idled-at on the Service's v1 Endpoints object
// as well as on the Service (openshift/oc b9779796b dropped it), and OpenShift's unidling
// controller removes them from there after the Service (openshift-controller-manager
// pkg/unidling/controller). Left behind, an older oc idle would merge those stale targets into
// its next record, so a wake removes them too. v1 Endpoints is deprecated since Kubernetes 1.33
// and the built-in edit role may read but not change it: a 404 or 403 means nothing to clean.
internal sealed class EndpointsLeftovers(IKubernetes client, ApiCaller api, ILogger logger)
{
    // A transient failure, for the caller to retry while the Service still records the idle;
    // null when the Endpoints carry no idle annotations (any more), or cannot be reached for good.
    public async Task<ApiFailure?> RemoveAsync(string @namespace, string serviceName, CancellationToken cancellationToken)
    {
        var service = $"{@namespace}/{serviceName}";
        var read = await api.CallAsync(token => client.CoreV1.ReadNamespacedEndpointsAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        if (read.Failure is { } readFailure)
        {
            return Settle(service, readFailure, "reading them");
        }

        var annotations = read.Value!.Metadata.Annotations;
        if (annotations is null || !(annotations.ContainsKey(IdleAnnotations.UnidleTargets) || annotations.ContainsKey(IdleAnnotations.IdledAt)))
        {
            return null;
        }

        var removal = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [IdleAnnotations.UnidleTargets] = null,
            [IdleAnnotations.IdledAt] = null,
        };
        var patch = new V1Patch(AnnotationPatch.Build(removal, resourceVersion: null), V1Patch.PatchType.MergePatch);
        var patched = await api.CallAsync(
            token => client.CoreV1.PatchNamespacedEndpointsAsync(patch, serviceName, @namespace, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        if (patched.Failure is { } patchFailure)
        {
            return Settle(service, patchFailure, "removing their idle annotations");
        }

        logger.EndpointsCleared(service);
        return null;
    }

    private ApiFailure? Settle(string service, ApiFailure failure, string doing)
    {
        if (failure.Kind is ApiFailureKind.Transient or ApiFailureKind.Conflict)
        {
            return failure with { Reason = $"{doing} on the Endpoints of Service {service}: {failure.Reason}" };
        }

        // No Endpoints object is normal where the cluster no longer writes them; a refusal is worth seeing.
        logger.EndpointsNotCleared(failure.Kind == ApiFailureKind.NotFound ? LogLevel.Debug : LogLevel.Information, service, $"{doing}: {failure.Reason}");
        return null;
    }
}
