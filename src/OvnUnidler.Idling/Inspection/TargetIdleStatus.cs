using OvnUnidler.Idling.Annotations;

namespace OvnUnidler.Idling.Inspection;

// One recorded target: Target.Replicas is what waking restores, CurrentReplicas what its scale
// says now (null when it could not be read; Problem says why).
public sealed record TargetIdleStatus(IdleTarget Target, int? CurrentReplicas, string? Problem = null)
{
    public int RecordedReplicas => Target.Replicas;
}
