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

    // Scale and record NeedPods, but leave the idle annotations for FinishWakeAsync: the caller
    // removes them once the pods are ready, since ovn-kubernetes rejects traffic to the VIP 30 s
    // after they go (its k8s.ovn.org/unidled-at grace) and a slower pod would see RSTs.
    public bool KeepAnnotations { get; init; }
}
