using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Waking;

/// <summary>
/// One wake of one Service and every row that joined it: many chassis, many packets and
/// duplicate rows become one wake, and all of them are acknowledged when it ends.
/// Mutated only under the <see cref="WakeCoordinator"/>'s lock.
/// </summary>
public sealed class PendingWake(ServiceKey service, DateTimeOffset firstSeen)
{
    private readonly List<EmptyBackendsEvent> events = [];
    private readonly HashSet<Guid> rows = [];

    public ServiceKey Service { get; } = service;

    /// <summary>When the first row of this wake was seen, on this process' clock.</summary>
    public DateTimeOffset FirstSeen { get; } = firstSeen;

    public int Attempts { get; set; }

    public string? LastFailure { get; set; }

    /// <summary>When this wake first scaled a target; null when someone else did.</summary>
    public DateTimeOffset? ScaleIssuedAt { get; set; }

    /// <summary>When its rows are acknowledged even without backends (BackendsTimeout after the hold began).</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Targets the API server refused for good, with its reasons.</summary>
    public string? Refusal { get; set; }

    /// <summary>Rows counted in the held-rows gauge for this wake.</summary>
    public int HeldCount { get; set; }

    public int RowCount => rows.Count;

    internal IReadOnlyList<EmptyBackendsEvent> EventsSnapshot => [.. events];

    internal bool Attach(EmptyBackendsEvent @event)
    {
        if (!rows.Add(@event.RowUuid))
        {
            return false;
        }

        events.Add(@event);
        return true;
    }

    internal IReadOnlyList<EmptyBackendsEvent> TakeEvents()
    {
        var taken = events.ToArray();
        events.Clear();
        rows.Clear();
        return taken;
    }
}
