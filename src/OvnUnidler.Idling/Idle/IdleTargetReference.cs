namespace OvnUnidler.Idling.Idle;

// A target named by the user (the Idler's spec.targets, or the command line) instead of found
// from the Service's selector. Replicas, when set, is what waking restores.
public sealed record IdleTargetReference(string Kind, string Name)
{
    public string? Group { get; init; }

    public int? Replicas { get; init; }
}
