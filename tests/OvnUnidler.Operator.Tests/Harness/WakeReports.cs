using System.Collections.Concurrent;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Operator.Tests.Harness;

public sealed class WakeReports : IWakeObserver
{
    private readonly ConcurrentQueue<WakeReport> reports = new();

    public IReadOnlyList<WakeReport> All => [.. reports];

    public Task OnWakeFinishedAsync(WakeReport report, CancellationToken cancellationToken)
    {
        reports.Enqueue(report);
        return Task.CompletedTask;
    }
}
