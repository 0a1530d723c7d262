using OvnUnidler.Idling.Api;

namespace OvnUnidler.Idling.Scaling;

// Finds, for a Service idled without unidle-targets (only an */idled-at key), the workloads that
// may carry previous-scale: the ReplicationControllers and DeploymentConfigs (the only kinds
// `oc idle` stamps it on) whose pod template the Service's selector selects, leaving out a
// ReplicationController a DeploymentConfig manages (its owner carries the stamp). Pods are gone by
// then, so the selector is the only way back to them. Only kinds the server serves are listed, so a
// cluster without OpenShift is not asked for DeploymentConfigs (an edit user would get 403).
// Idling itself finds its targets from the Service's endpoints instead (Idle/ServiceTargetFinder).
public sealed class WorkloadDiscovery(WorkloadClient workloads, ApiCaller api)
{
    // Set by OpenShift on the ReplicationControllers a DeploymentConfig creates (older releases
    // set no owner reference).
    private const string DeploymentConfigNameAnnotation = "openshift.io/deployment-config.name";

    public async Task<ApiOutcome<IReadOnlyList<Workload>>> FindAsync(string @namespace, IDictionary<string, string>? selector, CancellationToken cancellationToken)
    {
        if (selector is null || selector.Count == 0)
        {
            return ApiOutcome<IReadOnlyList<Workload>>.Ok([]);
        }

        var found = new List<Workload>();
        foreach (var kind in ScalableKind.WellKnown.Where(kind => kind.CarriesPreviousScale))
        {
            var served = await api.CallAsync(token => workloads.IsServedAsync(kind, token), cancellationToken).ConfigureAwait(false);
            if (served.Failure is { } discoveryFailure)
            {
                return ApiOutcome<IReadOnlyList<Workload>>.Failed(discoveryFailure);
            }

            if (!served.Value)
            {
                continue;
            }

            var listed = await api.CallAsync(token => workloads.ListAsync(kind, @namespace, token), cancellationToken).ConfigureAwait(false);
            if (listed.Failure is { } failure)
            {
                return ApiOutcome<IReadOnlyList<Workload>>.Failed(failure);
            }

            found.AddRange(listed.Value!.Where(workload => Selects(selector, workload) && !IsManagedByParent(workload)));
        }

        return ApiOutcome<IReadOnlyList<Workload>>.Ok(found);
    }

    // A Service selector is an equality-only label map: every pair must be on the pod template.
    public static bool Selects(IDictionary<string, string> selector, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(workload);
        return selector.Count > 0 && selector.All(pair => workload.TemplateLabels.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }

    public static bool IsManagedByParent(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return (workload.Scalable == ScalableKind.ReplicaSet && workload.ControllerKind == "Deployment")
            || (workload.Scalable == ScalableKind.ReplicationController
                && (workload.ControllerKind == "DeploymentConfig" || workload.Annotations.ContainsKey(DeploymentConfigNameAnnotation)));
    }
}
