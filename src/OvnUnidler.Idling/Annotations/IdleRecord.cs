namespace OvnUnidler.Idling.Annotations;

// What a Service's annotations say about its idling. Targets is empty when the Service carries
// an */idled-at key but no unidle-targets (HasTargetsAnnotation is then false): the targets are
// then the selected workloads carrying previous-scale.
public sealed record IdleRecord
{
    public required IReadOnlyList<IdleTarget> Targets { get; init; }

    public required bool HasTargetsAnnotation { get; init; }

    // Every key ending in /idled-at; waking removes them all, since any one keeps the Service idled
    // for ovn-kubernetes.
    public required IReadOnlyList<string> IdledAtKeys { get; init; }

    // The idled-at value as written (OpenShift's key first), for display only: it comes from
    // another clock, so no decision ever uses it.
    public string? IdledAtValue { get; init; }

    public DateTimeOffset? IdledAt => IdleAnnotations.ParseTimestamp(IdledAtValue);

    // The raw unidle-targets value, to notice that someone rewrote it while we acted.
    public string? TargetsAnnotationValue { get; init; }

    // Corrections made while reading: duplicates merged, zero replicas read as one.
    public IReadOnlyList<string> Notes { get; init; } = [];
}
