namespace OvnUnidler.Operator.Holding;

/// <summary>Whether a waking Service's connections are held, and why (logged, and the metric's label).</summary>
/// <param name="Label">A short, bounded label for the decisions metric.</param>
public sealed record HoldDecision(bool Hold, string Label, string Reason)
{
    public static HoldDecision Yes() => new(true, "held", "no policy selects its pods and it is on the default network");

    public static HoldDecision No(string label, string reason) => new(false, label, reason);
}
