using System.Diagnostics.CodeAnalysis;

namespace OvnUnidler.Operator.Model;

public sealed class EventParseResult
{
    private EventParseResult(ControllerEvent row, EmptyBackendsEvent? @event, string? error)
    {
        Row = row;
        Event = @event;
        Error = error;
    }

    public ControllerEvent Row { get; }

    public EmptyBackendsEvent? Event { get; }

    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Event is not null;

    public static EventParseResult Valid(EmptyBackendsEvent @event) => new(@event.Row, @event, null);

    public static EventParseResult Malformed(ControllerEvent row, string error) => new(row, null, error);
}
