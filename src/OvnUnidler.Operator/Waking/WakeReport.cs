using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Waking;

/// <summary>What one finished wake did, for the Idler status and for anyone watching (the demo).</summary>
public sealed record WakeReport(
    ServiceKey Service,
    EventOutcome Outcome,
    string? Reason,
    int Attempts,
    IReadOnlyList<EmptyBackendsEvent> Events,
    DateTimeOffset FirstSeen,
    DateTimeOffset? ScaleIssuedAt,
    DateTimeOffset? EndpointsReadyAt,
    DateTimeOffset? BackendsPresentAt,
    DateTimeOffset FinishedAt,
    bool BackendsTimedOut = false)
{
    /// <summary>Targets the API server refused for good, with its reasons; null when none was.</summary>
    public string? Refusal { get; init; }
}
