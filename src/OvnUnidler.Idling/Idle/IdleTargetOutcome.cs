namespace OvnUnidler.Idling.Idle;

public enum IdleTargetOutcome
{
    // Dry run: would be recorded and scaled to 0.
    Planned,

    ScaledToZero,

    // Was at 0 already (idled before); recorded with the earlier count.
    AlreadyAtZero,

    // Listed by an earlier idle but not found behind the Service now; kept in the record, as oc does.
    KeptFromEarlierIdle,

    // Named explicitly but does not exist; not recorded.
    NotFound,

    // The API server refused to scale it (403, 422, ...).
    Rejected,

    // A transient failure; calling again finishes it.
    Failed,
}
