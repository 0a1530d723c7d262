using OvnUnidler.Idling.Annotations;

namespace OvnUnidler.Idling.Inspection;

public sealed record ServiceIdleStatus(string Namespace, string Name)
{
    // NotIdled, Parsed (idled, with a usable record) or Invalid (idled, but Problem says why
    // the record cannot be used).
    public required IdleRecordStatus Record { get; init; }

    public bool IsIdled => Record != IdleRecordStatus.NotIdled;

    public string? Problem { get; init; }

    // As written on the Service; another clock's time, shown, never compared.
    public string? IdledAtValue { get; init; }

    public DateTimeOffset? IdledAt => IdleAnnotations.ParseTimestamp(IdledAtValue);

    public string? UnidledAtValue { get; init; }

    public IReadOnlyList<TargetIdleStatus> Targets { get; init; } = [];

    // The targets came from previous-scale on the selected workloads (no unidle-targets).
    public bool TargetsFromPreviousScale { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";
}
