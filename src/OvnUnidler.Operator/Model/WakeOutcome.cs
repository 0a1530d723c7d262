namespace OvnUnidler.Operator.Model;

public enum WakeOutcome
{
    /// <summary>This attempt scaled at least one target up.</summary>
    Woken,

    /// <summary>Idle annotations were present but every target was already running (someone else woke it).</summary>
    AlreadyAwake,

    /// <summary>The Service carries no idle record: nothing to wake.</summary>
    NotIdled,

    /// <summary>A transient failure (API server unavailable, 429, 5xx, conflict storm); try again later.</summary>
    Retry,

    /// <summary>Cannot succeed (broken annotations, Service gone, forbidden); acknowledge and report.</summary>
    Terminal,
}
