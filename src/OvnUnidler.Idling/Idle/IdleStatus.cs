namespace OvnUnidler.Idling.Idle;

public enum IdleStatus
{
    // The Service records its targets and every target is at 0.
    Idled,

    // Dry run: nothing changed; the result is the plan.
    Planned,

    // Incomplete because of a transient failure; calling again converges (the record merges).
    RetryAfter,

    // Cannot be done: no targets, broken existing annotations, Service gone, forbidden.
    Terminal,
}
