using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// The ReplicaSet, ReplicationController, StatefulSet and DeploymentConfig controllers together
// with the kubelet, as far as a wake needs: a workload's pods are Pod objects it owns; a sync
// deletes those whose labels no longer match the template (a rollout), creates pods up to
// spec.replicas (each created, then given a running, ready status and addresses from the
// allocator), deletes the newest ones above it (StatefulSets: the highest ordinals), and
// writes the workload's status. Only used from the simulation's single worker.
// With simulateKubelet false the pods are created and left to a kubelet outside the double,
// which writes their status; the workload's status then counts the pods that kubelet made ready.
internal sealed class PodController(ResourceRegistry registry, IPodAddressAllocator addresses, TimeProvider time, bool simulateKubelet = true)
{
    // The pods each workload created, oldest first.
    private readonly Dictionary<WorkloadKey, List<string>> owned = [];
    private readonly Dictionary<(string Namespace, string Name), PodAddresses> allocated = [];

    public void SyncLocked(StoreTransaction tx, WorkloadKey key, StoredObject stored)
    {
        var pods = registry.Catalog.Pods;
        var workload = registry.Load(key.Type, stored);
        var desired = (int)Math.Max(0, JsonAccess.Integer(JsonAccess.Object(workload, "spec"), "replicas") ?? 1);
        var templateLabels = EndpointSliceReconciler.TemplateLabels(workload);
        if (!owned.TryGetValue(key, out var names))
        {
            names = [];
            owned[key] = names;
        }

        names.RemoveAll(name => registry.GetLocked(tx, pods, key.Namespace, name) is null);
        foreach (var name in names.ToList())
        {
            var pod = registry.GetLocked(tx, pods, key.Namespace, name)!;
            if (!SameLabels(pod.Labels, templateLabels, key.Type.Kind == "StatefulSet"))
            {
                names.Remove(name);
                DeletePodLocked(tx, key.Namespace, name);
            }
        }

        while (names.Count < desired)
        {
            var name = PodName(key, names);
            var pod = PodManifest.Build(key, workload, name);
            var (created, error) = registry.CreateLocked(tx, pods, key.Namespace, pod);
            if (error is not null)
            {
                throw new InvalidOperationException($"pod {key.Namespace}/{name} of {key.Type.Kind} {key.Name}: {error.Message}");
            }

            names.Add(name);
            if (!simulateKubelet)
            {
                continue;
            }

            var podNode = registry.Load(pods, created!);
            var podAddresses = addresses.Allocate(new PodAddressRequest(key.Namespace, name, created!.Labels, key.Type.Kind, key.Name));
            allocated[(key.Namespace, name)] = podAddresses;
            podNode["status"] = PodManifest.RunningStatus(podNode, podAddresses, SystemFields.Timestamp(time));
            registry.CommitUpdateLocked(tx, pods, created, podNode, statusOnly: true);
        }

        while (names.Count > desired)
        {
            var newest = key.Type.Kind == "StatefulSet" ? names.OrderByDescending(Ordinal).First() : names[^1];
            names.Remove(newest);
            DeletePodLocked(tx, key.Namespace, newest);
        }

        var ready = simulateKubelet
            ? names.Count
            : names.Count(name => registry.GetLocked(tx, pods, key.Namespace, name) is { } pod && PodManifest.IsReady(registry.Load(pods, pod)));
        var status = WorkloadStatus.Build(key.Type.Kind, ready, ObjectMetadata.Generation(workload), JsonAccess.Object(workload, "status"));
        var next = (JsonObject)workload.DeepClone();
        next["status"] = status;
        registry.CommitUpdateLocked(tx, key.Type, stored, next, statusOnly: true);
    }

    // The workload is gone: so are its pods (the garbage collector's background deletion).
    public void DeleteAllLocked(StoreTransaction tx, WorkloadKey key)
    {
        if (owned.Remove(key, out var names))
        {
            names.ForEach(name => DeletePodLocked(tx, key.Namespace, name));
        }
    }

    public void Forget(WorkloadKey key) => owned.Remove(key);

    private void DeletePodLocked(StoreTransaction tx, string @namespace, string name)
    {
        registry.DeleteLocked(tx, registry.Catalog.Pods, @namespace, name);
        if (allocated.Remove((@namespace, name), out var podAddresses))
        {
            addresses.Release(podAddresses);
        }
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> podLabels, IReadOnlyDictionary<string, string> templateLabels, bool statefulSet) =>
        templateLabels.All(pair => podLabels.TryGetValue(pair.Key, out var value) && value == pair.Value)
        && podLabels.Count == templateLabels.Count + (statefulSet ? 1 : 0);

    private static string PodName(WorkloadKey key, List<string> existing) => key.Type.Kind switch
    {
        "StatefulSet" => $"{key.Name}-{Enumerable.Range(0, existing.Count + 1).First(ordinal => !existing.Contains($"{key.Name}-{ordinal}"))}",
        "DeploymentConfig" => NameGenerator.Generate($"{key.Name}-1-"),
        _ => NameGenerator.Generate($"{key.Name}-"),
    };

    private static int Ordinal(string podName) =>
        int.TryParse(podName[(podName.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var ordinal) ? ordinal : -1;
}
