using OvnUnidler.Operator.Model;


namespace OvnUnidler.Operator.Pipeline;

/// <summary>Told about every finished wake, after its rows were queued for acknowledgement.</summary>
public interface IWakeObserver
{
    Task OnWakeFinishedAsync(WakeReport report, CancellationToken cancellationToken);
}
