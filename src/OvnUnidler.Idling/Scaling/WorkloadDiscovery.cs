using OvnUnidler.Idling.Api;

namespace OvnUnidler.Idling.Scaling;

// Finds the workloads behind a Service as `oc idle` does conceptually: those whose pod template
// the Service's selector selects, counting a ReplicaSet of a Deployment and a
// ReplicationController of a DeploymentConfig as their owner (which is what gets scaled).
// `oc idle` walks Endpoints -> Pods -> owners instead, which finds nothing once pods are gone;
// the selector works at any scale, including zero.
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
        foreach (var kind in ScalableKind.All)
        {
            var listed = await api.CallAsync(token => workloads.ListAsync(kind, @namespace, token), cancellationToken).ConfigureAwait(false);
            if (listed.Failure is { Kind: ApiFailureKind.NotFound } && kind == ScalableKind.DeploymentConfig)
            {
                // Not OpenShift: the apps.openshift.io API is not served.
                continue;
            }

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
