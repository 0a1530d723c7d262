using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Demo;

/// <summary>Prints each finished wake as the operator reports it: the mapping and the time of each stage.</summary>
public sealed class WakeNarration(Narrator narrator) : IWakeObserver
{
    private readonly TaskCompletionSource<WakeReport> first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<WakeReport> FirstWake => first.Task;

    public Task OnWakeFinishedAsync(WakeReport report, CancellationToken cancellationToken)
    {
        var vips = string.Join(", ", report.Events.Select(@event => $"{@event.Vip}/{@event.Protocol}").Distinct());
        narrator.Step("operator", $"wake of Service {report.Service} finished: {report.Outcome}, {report.Events.Count} row(s) for {vips}");
        narrator.Step("operator", $"  first row seen -> scale issued   {Milliseconds(report.ScaleIssuedAt - report.FirstSeen)}");
        narrator.Step("operator", $"  first row seen -> endpoints ready {Milliseconds(report.EndpointsReadyAt - report.FirstSeen)}");
        narrator.Step("operator", $"  first row seen -> backends in NB  {Milliseconds(report.BackendsPresentAt - report.FirstSeen)}");
        first.TrySetResult(report);
        return Task.CompletedTask;
    }

    private static string Milliseconds(TimeSpan? span) => span is { } value ? $"{value.TotalMilliseconds:F1} ms" : "-";
}
