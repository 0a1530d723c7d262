using OvnUnidler.Idling.Annotations;

namespace OvnUnidler.Idling.Idle;

// One target of an idle: Target.Replicas is what waking will restore; CurrentReplicas what it
// ran before this call (null when it was not read).
public sealed record IdleTargetResult(IdleTarget Target, int? CurrentReplicas, IdleTargetOutcome Outcome, string? Detail = null)
{
    // How it was found from the Service's pods ("Pod a, b -> ReplicaSet web-5d8f7 -> Deployment web");
    // empty for a target named explicitly or kept from an earlier idle.
    public IReadOnlyList<string> Chains { get; init; } = [];
}
