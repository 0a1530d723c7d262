using OvnUnidler.Idling.Api;

namespace OvnUnidler.Idling.Idle;

// What ServiceTargetFinder found: the targets, or an API failure on the way, or a reason why the
// Service cannot be idled as it stands (a Pod without a controller).
internal sealed record TargetSearch(IReadOnlyList<FoundTarget> Targets, ApiFailure? Failure, string? Doing, string? Reason)
{
    public static TargetSearch Found(IReadOnlyList<FoundTarget> targets) => new(targets, null, null, null);

    public static TargetSearch Failed(ApiFailure failure, string doing) => new([], failure, doing, null);

    public static TargetSearch Problem(string reason) => new([], null, null, reason);
}
