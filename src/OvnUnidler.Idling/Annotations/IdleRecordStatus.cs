namespace OvnUnidler.Idling.Annotations;

public enum IdleRecordStatus
{
    // No */idled-at key and no unidle-targets: the Service is not idled.
    NotIdled,

    Parsed,

    // The annotations cannot be acted on; Reason says exactly why.
    Invalid,
}
