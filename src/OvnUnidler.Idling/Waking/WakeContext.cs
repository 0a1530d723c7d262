namespace OvnUnidler.Idling.Waking;

// Who asks for a wake and why, for logs and the NeedPods event.
public sealed record WakeContext
{
    // The `wake` command and other manual requests.
    public static WakeContext Manual { get; } = new() { Trigger = "manual wake" };

    // Free text for the log, e.g. "Controller_Event 6e5c36ac from chassis hv1".
    public string Trigger { get; init; } = "wake";

    // Record the NeedPods event when this call scales something (on by default, as ovn-kubernetes does).
    public bool RecordEvent { get; init; } = true;
}
