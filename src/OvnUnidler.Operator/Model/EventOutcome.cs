namespace OvnUnidler.Operator.Model;

/// <summary>Why a row was acknowledged; the label of ovn_unidler_events_total.</summary>
public enum EventOutcome
{
    Woken,
    AlreadyAwake,
    NotIdled,
    UnknownVip,
    Malformed,
    Terminal,
}
