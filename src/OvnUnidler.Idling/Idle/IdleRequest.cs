namespace OvnUnidler.Idling.Idle;

public sealed record IdleRequest
{
    // Change nothing; return the plan: targets, replicas to record and the annotations.
    public bool DryRun { get; init; }

    // Null or empty: the workloads the Service's selector selects.
    public IReadOnlyList<IdleTargetReference>? ExplicitTargets { get; init; }
}
