namespace OvnUnidler.Idling.Waking;

public enum TargetWakeOutcome
{
    // This call scaled it from 0 to the recorded replicas.
    ScaledUp,

    // It already ran (scaled by someone else, maybe a racing caller); not touched.
    AlreadyRunning,

    // 404: the workload does not exist. Terminal for this target only.
    NotFound,

    // The API server refused for good (403, 422, ...). Terminal for this target only.
    Rejected,

    // A transient failure; the next call tries it again.
    Failed,
}
