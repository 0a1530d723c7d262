namespace OvnUnidler.KubernetesDouble.ControllerManager;

// One unit of the simulation's serial work queue.
internal abstract record ControllerWork
{
    // A workload's children follow its spec: a Deployment's ReplicaSets, the others' pods (ready at once).
    public sealed record SyncWorkload(WorkloadKey Key) : ControllerWork;

    // A ReplicaSet of this Deployment changed: its status follows.
    public sealed record SyncDeploymentStatus(WorkloadKey Key) : ControllerWork;

    public sealed record WorkloadDeleted(WorkloadKey Key) : ControllerWork;

    public sealed record SyncService(string Namespace, string Name) : ControllerWork;

    public sealed record CollectGarbage(string OwnerUid, IReadOnlyList<(Storage.ResourceType Type, string Namespace, string Name)> Dependents) : ControllerWork;

    public sealed record ResyncAll : ControllerWork;
}
