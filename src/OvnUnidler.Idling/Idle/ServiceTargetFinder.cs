using k8s;
using k8s.Models;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Idle;

// Finds what to idle as `oc idle` does (openshift/oc pkg/cli/idle, findScalableResourcesForEndpoints):
// from the ready endpoints of the Service to their Pods, from each Pod to its controller (the
// ownerReference with controller: true), and from that controller to ITS controller when it has
// one; that owner is recorded, never a third level (so a Deployment's ReplicaSet records the
// Deployment, an Argo Rollout's ReplicaSet the Rollout, a plain ReplicationController itself).
// Only pods that serve now are followed, so a workload without running pods (a Deployment at 0)
// is not recorded. Endpoints come from the Service's EndpointSlices, or from its v1 Endpoints
// object where no slice exists. Unlike oc, a StatefulSet is followed like any other controller.
internal sealed class ServiceTargetFinder(IKubernetes client, WorkloadClient workloads, ApiCaller api)
{
    private const string ServiceNameLabel = "kubernetes.io/service-name";
    private const int PodsNamedPerChain = 3;

    public async Task<TargetSearch> FindAsync(string @namespace, string serviceName, CancellationToken cancellationToken)
    {
        var service = $"{@namespace}/{serviceName}";
        var pods = await ServingPodsAsync(@namespace, serviceName, cancellationToken).ConfigureAwait(false);
        if (pods.Failure is { } podsFailure)
        {
            return TargetSearch.Failed(podsFailure, $"reading the endpoints of Service {service}");
        }

        var controllers = new Dictionary<(string ApiVersion, string Kind, string Name), List<string>>();
        foreach (var podName in pods.Value!)
        {
            var pod = await api.CallAsync(token => client.CoreV1.ReadNamespacedPodAsync(podName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
            if (pod.Failure is { Kind: ApiFailureKind.NotFound })
            {
                // Gone since the endpoints were read, as oc skips it.
                continue;
            }

            if (pod.Failure is { } podFailure)
            {
                return TargetSearch.Failed(podFailure, $"reading Pod {podName} of Service {service}");
            }

            var controller = ControllerOf(pod.Value!.Metadata);
            if (controller is null)
            {
                return TargetSearch.Problem(
                    $"Pod {podName} behind Service {service} has no controller (no ownerReference with controller: true), so nothing can scale it to 0; "
                    + "oc idle refuses such a Service too");
            }

            var key = (controller.ApiVersion, controller.Kind, controller.Name);
            if (!controllers.TryGetValue(key, out var members))
            {
                controllers[key] = members = [];
            }

            members.Add(podName);
        }

        var found = new List<FoundTarget>();
        foreach (var ((apiVersion, kind, name), members) in controllers)
        {
            var immediate = ScalableKind.FromApiVersion(apiVersion, kind);
            var read = await api.CallAsync(token => workloads.ReadMetadataAsync(immediate, @namespace, name, token), cancellationToken).ConfigureAwait(false);
            if (read.Failure is { Kind: ApiFailureKind.NotFound })
            {
                continue;
            }

            if (read.Failure is { } readFailure)
            {
                return TargetSearch.Failed(readFailure, $"reading {immediate.Kind} {name}, the controller of Pod {members[0]}");
            }

            var owner = ControllerOf(read.Value!);
            var target = owner is null ? immediate : ScalableKind.FromApiVersion(owner.ApiVersion, owner.Kind);
            var targetName = owner?.Name ?? name;
            var chain = $"{Pods(members)} -> {immediate.Kind} {name}" + (owner is null ? "" : $" -> {target.Kind} {targetName}");
            var index = found.FindIndex(entry => entry.Scalable == target && entry.Name == targetName);
            if (index < 0)
            {
                found.Add(new FoundTarget(target, targetName, [chain]));
            }
            else
            {
                found[index] = found[index] with { Chains = [.. found[index].Chains, chain] };
            }
        }

        return TargetSearch.Found(found);
    }

    // Pods behind ready endpoints: EndpointSlices labelled with the Service's name (a nil ready
    // condition counts as ready, as the API documents), else the v1 Endpoints' ready addresses.
    private async Task<ApiOutcome<IReadOnlyList<string>>> ServingPodsAsync(string @namespace, string serviceName, CancellationToken cancellationToken)
    {
        var slices = await api.CallAsync(
            token => client.DiscoveryV1.ListNamespacedEndpointSliceAsync(@namespace, labelSelector: $"{ServiceNameLabel}={serviceName}", cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        if (slices.Failure is { } slicesFailure)
        {
            return ApiOutcome<IReadOnlyList<string>>.Failed(slicesFailure);
        }

        if (slices.Value!.Items.Count > 0)
        {
            return ApiOutcome<IReadOnlyList<string>>.Ok(slices.Value.Items
                .SelectMany(slice => slice.Endpoints ?? [])
                .Where(endpoint => endpoint.Conditions?.Ready != false && IsPodOf(endpoint.TargetRef, @namespace))
                .Select(endpoint => endpoint.TargetRef.Name)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList());
        }

        var endpoints = await api.CallAsync(token => client.CoreV1.ReadNamespacedEndpointsAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        if (endpoints.Failure is { Kind: ApiFailureKind.NotFound })
        {
            return ApiOutcome<IReadOnlyList<string>>.Ok([]);
        }

        if (endpoints.Failure is { } endpointsFailure)
        {
            return ApiOutcome<IReadOnlyList<string>>.Failed(endpointsFailure);
        }

        return ApiOutcome<IReadOnlyList<string>>.Ok((endpoints.Value!.Subsets ?? [])
            .SelectMany(subset => subset.Addresses ?? [])
            .Where(address => IsPodOf(address.TargetRef, @namespace))
            .Select(address => address.TargetRef.Name)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList());
    }

    private static bool IsPodOf(V1ObjectReference? reference, string @namespace) =>
        reference is { Kind: "Pod", Name.Length: > 0 } && (reference.NamespaceProperty is null || reference.NamespaceProperty == @namespace);

    private static V1OwnerReference? ControllerOf(V1ObjectMeta metadata) =>
        metadata.OwnerReferences?.FirstOrDefault(owner => owner.Controller == true);

    private static string Pods(List<string> names) =>
        (names.Count == 1 ? "Pod " : "Pods ") + string.Join(", ", names.Take(PodsNamedPerChain))
        + (names.Count > PodsNamedPerChain ? $" and {names.Count - PodsNamedPerChain} more" : "");
}
