using System.Diagnostics;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Pipeline;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Lab.Cluster;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>Issue 6, benchmark 3: 10,000 rows within one second for 100 idled Services from 50 chassis.</summary>
public sealed class BurstScenario : IBenchmarkScenario
{
    private const int Services = 100;
    private const int ChassisCount = 50;
    private const int Slices = 10;

    public string Name => "burst";

    public string Description => "10,000 rows in one second for 100 Services: wakes, rows left, time, memory";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var rowCount = context.Rows ?? 10_000;
        await using var stack = await BenchmarkStack.StartAsync(cancellationToken);
        await stack.CreateServicesAsync(Services, idled: true, cancellationToken);
        var chassis = await stack.AddChassisAsync(ChassisCount, cancellationToken);
        await using var counter = await RowCounter.StartAsync(stack.Southbound.UnixRemote, cancellationToken);
        await using var unidler = OperatorProcess.Start(stack.OperatorEnvironment(), context.OperatorLog(Name));
        await unidler.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var idleRss = unidler.ResidentBytes;
        var rows = Enumerable.Range(0, rowCount).Select(i => (BenchmarkStack.Vip(i % Services), (Guid?)chassis[i % ChassisCount], (long)(i / ChassisCount) + 1)).ToList();

        context.Progress($"inserting {rowCount:N0} rows in {Slices} slices over one second");
        var watch = Stopwatch.StartNew();
        var slice = 0;
        foreach (var chunk in rows.Chunk((rowCount + Slices - 1) / Slices))
        {
            var due = TimeSpan.FromMilliseconds(1000.0 * slice++ / Slices) - watch.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            await stack.InsertEventsAsync(chunk, cancellationToken);
        }

        var inserted = watch.Elapsed;
        await Completion.WaitAsync(() => counter.Rows == 0 && stack.ScaleWrites() >= Services, TimeSpan.FromMinutes(2), "the burst handled", cancellationToken);
        watch.Stop();
        var wakes = stack.ScaleWrites();
        context.Progress($"inserted in {inserted.TotalSeconds:0.000} s, handled after {watch.Elapsed.TotalSeconds:0.000} s, {wakes} wakes");
        return
        [
            new("rows inserted", rowCount, "rows", $"in {inserted.TotalSeconds:0.00} s"),
            new("wakes issued", wakes, "scale writes") { Target = Services },
            new("rows left", counter.Rows, "rows") { Target = 0 },
            new("first insert -> all woken and deleted", watch.Elapsed.TotalSeconds, "s"),
            new("operator RSS before the burst", Statistics.Megabytes(idleRss), "MB"),
            new("operator peak RSS (VmHWM)", Statistics.Megabytes(unidler.PeakResidentBytes), "MB"),
        ];
    }
}
