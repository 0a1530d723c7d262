using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Annotations;

// A workload about to be idled with the replicas it runs now. RequestedReplicas, when set,
// is what the user asked to restore (an Idler's explicit target) and wins over both the
// current and the recorded count.
public sealed record ObservedTarget(ScalableKind Scalable, string Name, int CurrentReplicas)
{
    public int? RequestedReplicas { get; init; }
}
