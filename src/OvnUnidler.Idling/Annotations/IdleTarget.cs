using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Annotations;

// One entry of the unidle-targets annotation: a workload and the replicas to restore.
// Group and ApiVersion are kept as recorded so that rewriting the list changes nothing
// but what idling changes.
public sealed record IdleTarget(ScalableKind Scalable, string Name, int Replicas)
{
    public string? Group { get; init; }

    public string? ApiVersion { get; init; }

    public string Kind => Scalable.Kind;

    public override string ToString() => $"{Scalable.Kind}/{Name}";

    // A new entry as `oc idle` writes one: the kind's group, omitted for the core group.
    public static IdleTarget Create(ScalableKind scalable, string name, int replicas) =>
        new(scalable, name, replicas) { Group = scalable.Group.Length == 0 ? null : scalable.Group };

    internal bool SameWorkload(IdleTarget other) => Scalable == other.Scalable && Name == other.Name;
}
