using System.Diagnostics;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Pipeline;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 6, benchmark 1: N stale rows (default 100,000) for 1,000 idled Services from 500 chassis
/// are waiting when the operator starts; time until every Service is woken and every row deleted,
/// and the operator's peak memory. The floor, in the same run: ovsdb-client selecting the same
/// rows plus one delete transaction of all of them.
/// </summary>
public sealed class BacklogScenario : IBenchmarkScenario
{
    private const int Services = 1_000;
    private const int ChassisCount = 500;

    public string Name => "backlog";

    public string Description => "100,000 stale rows, 1,000 idled Services, 500 chassis at start-up vs select+delete floor";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var rowCount = context.Rows ?? 100_000;
        await using var stack = await BenchmarkStack.StartAsync(cancellationToken);
        context.Progress($"creating {Services:N0} idled Services and {ChassisCount} chassis");
        await stack.CreateServicesAsync(Services, idled: true, cancellationToken);
        var chassis = await stack.AddChassisAsync(ChassisCount, cancellationToken);
        var rows = Enumerable.Range(0, rowCount).Select(i => (BenchmarkStack.Vip(i % Services), (Guid?)chassis[i % ChassisCount], (long)(i / ChassisCount) + 1)).ToList();

        context.Progress($"floor: {rowCount:N0} rows, ovsdb-client select then one delete transaction");
        await stack.InsertEventsAsync(rows, cancellationToken);
        var select = Stopwatch.StartNew();
        await stack.Southbound.Commands.RunAsync("sh", ["-c",
            $"ovsdb-client -f json transact {stack.Southbound.UnixRemote} '[\"OVN_Southbound\",{{\"op\":\"select\",\"table\":\"Controller_Event\",\"where\":[]}}]' > {stack.Directory.Combine("select.json")}"],
            cancellationToken);
        select.Stop();
        var delete = Stopwatch.StartNew();
        await stack.Southbound.Commands.RunAsync("ovsdb-client",
            ["transact", stack.Southbound.UnixRemote, """["OVN_Southbound",{"op":"delete","table":"Controller_Event","where":[]}]"""], cancellationToken);
        delete.Stop();
        var floor = select.Elapsed + delete.Elapsed;
        context.Progress($"floor: select {select.Elapsed.TotalSeconds:0.000} s + delete {delete.Elapsed.TotalSeconds:0.000} s");

        await stack.InsertEventsAsync(rows, cancellationToken);
        await using var counter = await RowCounter.StartAsync(stack.Southbound.UnixRemote, cancellationToken);
        context.Progress($"operator: starting with {counter.Rows:N0} rows waiting");
        var watch = Stopwatch.StartNew();
        await using var unidler = OperatorProcess.Start(stack.OperatorEnvironment(), context.OperatorLog(Name));
        TimeSpan? firstScale = null, allScaled = null, firstDelete = null;
        await Completion.WaitAsync(() =>
        {
            var scaled = stack.ScaleWrites();
            firstScale ??= scaled > 0 ? watch.Elapsed : null;
            allScaled ??= scaled >= Services ? watch.Elapsed : null;
            firstDelete ??= counter.Rows < rowCount ? watch.Elapsed : null;
            return counter.Rows == 0 && scaled >= Services;
        }, TimeSpan.FromMinutes(5), "the backlog cleared", cancellationToken);
        watch.Stop();
        context.Progress($"first scale {firstScale?.TotalSeconds:0.000} s, all scaled {allScaled?.TotalSeconds:0.000} s, first row deleted {firstDelete?.TotalSeconds:0.000} s");
        var peak = unidler.PeakResidentBytes;
        var wakes = stack.ScaleWrites();
        context.Progress($"operator: {watch.Elapsed.TotalSeconds:0.000} s, {wakes} wakes, peak RSS {Statistics.Megabytes(peak):0} MB");

        return
        [
            new("rows", rowCount, "rows"),
            new("floor: ovsdb-client select", select.Elapsed.TotalSeconds, "s"),
            new("floor: one delete transaction", delete.Elapsed.TotalSeconds, "s"),
            new("operator start -> all woken, all rows deleted", watch.Elapsed.TotalSeconds, "s", "includes process start"),
            new("  of which: start -> first scale request", firstScale?.TotalSeconds ?? double.NaN, "s", "process start, views synced, initial rows read"),
            new("  of which: start -> all 1,000 scaled", allScaled?.TotalSeconds ?? double.NaN, "s"),
            new("  of which: start -> first row deleted", firstDelete?.TotalSeconds ?? double.NaN, "s"),
            new("operator / floor", watch.Elapsed / floor, "x") { Target = 2.0 },
            new("wakes issued", wakes, "scale writes") { Target = Services },
            new("rows left", counter.Rows, "rows") { Target = 0 },
            new("operator peak RSS (VmHWM)", Statistics.Megabytes(peak), "MB"),
        ];
    }
}
