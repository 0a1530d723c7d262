using OvnUnidler.KubernetesDouble.Selection;

namespace OvnUnidler.KubernetesDouble.Registry;

// The list and watch query parameters of API concepts ("Retrieving large results sets in
// chunks", "Resource versions", "Efficient detection of changes").
internal sealed record ListQuery
{
    public LabelSelector LabelSelector { get; init; } = LabelSelector.Everything;

    public FieldSelector FieldSelector { get; init; } = FieldSelector.Everything;

    public string? ResourceVersion { get; init; }

    public string? ResourceVersionMatch { get; init; }

    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public bool AllowWatchBookmarks { get; init; }

    public bool SendInitialEvents { get; init; }

    public TimeSpan? Timeout { get; init; }
}
