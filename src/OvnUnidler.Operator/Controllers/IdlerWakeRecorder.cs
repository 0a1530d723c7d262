using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Waking;

namespace OvnUnidler.Operator.Controllers;

/// <summary>Feeds wakes done by the pipeline into the Idler status (wake count, last wake, latency, row; a refused target as a condition).</summary>
public sealed class IdlerWakeRecorder(IdlerController controller) : IWakeObserver
{
    public Task OnWakeFinishedAsync(WakeReport report, CancellationToken cancellationToken) =>
        report.Outcome == EventOutcome.Woken || report.Refusal is not null ? controller.RecordWakeAsync(report, cancellationToken) : Task.CompletedTask;
}
