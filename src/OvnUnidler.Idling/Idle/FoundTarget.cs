using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Idle;

// A workload that runs pods behind a Service, and how it was reached from them: one chain per
// controller in between, e.g. "Pod web-5d8f7-x2k9p -> ReplicaSet web-5d8f7 -> Deployment web".
public sealed record FoundTarget(ScalableKind Scalable, string Name, IReadOnlyList<string> Chains);
