namespace OvnUnidler.Idling.Waking;

public enum WakeStatus
{
    // This call scaled at least one target up and cleared the idle annotations.
    Woken,

    // Idled, but every target already ran (someone else woke it); the annotations are cleared.
    AlreadyAwake,

    // No idle annotations: nothing to do.
    NotIdled,

    // Incomplete because of a transient failure; the annotations are kept so the next call
    // finishes the rest. Delay says when to try again.
    RetryAfter,

    // Cannot succeed (broken annotations, Service gone, no target exists, forbidden): Reason says why.
    Terminal,
}
