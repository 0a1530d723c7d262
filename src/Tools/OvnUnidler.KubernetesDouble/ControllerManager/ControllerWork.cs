namespace OvnUnidler.KubernetesDouble.ControllerManager;

// One unit of the simulation's serial work queue.
internal abstract record ControllerWork
{
    // Pods of a workload become ready (or go away) and its status and Services follow.
    public sealed record SyncWorkload(WorkloadKey Key) : ControllerWork;

    public sealed record WorkloadDeleted(WorkloadKey Key) : ControllerWork;

    public sealed record SyncService(string Namespace, string Name) : ControllerWork;

    public sealed record ResyncAll : ControllerWork;
}
