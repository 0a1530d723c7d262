using System.Diagnostics;
using System.Globalization;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Pipeline;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Lab.Cluster;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 6, benchmark 1: N stale rows (default 100,000) for 1,000 idled Services from 500 chassis
/// are waiting when the operator starts; time until every Service is woken and every row deleted,
/// and the operator's peak memory. The floor, in the same run: ovsdb-client selecting the same
/// rows plus one delete transaction of all of them. Floor and operator are measured back to back
/// --repeat times, each round on a fresh stack, and the medians are compared, so that a moment of
/// load on the machine does not decide the ratio. Nothing of the benchmark's own watches the
/// Southbound while the operator runs (the floor has no monitor attached either).
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
        var rounds = new List<BacklogRound>();
        for (var round = 1; round <= context.Repeat; round++)
        {
            context.Progress($"round {round} of {context.Repeat}");
            rounds.Add(await RunRoundAsync(context, rowCount, cancellationToken));
            // The API double lives in this process: each round's stack starts on a collected heap,
            // instead of later rounds paying for the garbage of earlier ones.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var select = Statistics.Median([.. rounds.Select(r => r.Select.TotalSeconds)]);
        var delete = Statistics.Median([.. rounds.Select(r => r.Delete.TotalSeconds)]);
        var floor = Statistics.Median([.. rounds.Select(r => (r.Select + r.Delete).TotalSeconds)]);
        var total = Statistics.Median([.. rounds.Select(r => r.Operator.TotalSeconds)]);
        var perRound = string.Join(", ", rounds.Select(r => (r.Operator / (r.Select + r.Delete)).ToString("0.00", CultureInfo.InvariantCulture)));
        return
        [
            new("rows", rowCount, "rows"),
            new("rounds (medians below)", rounds.Count, "rounds"),
            new("floor: ovsdb-client select", select, "s"),
            new("floor: one delete transaction", delete, "s"),
            new("floor: select + delete", floor, "s"),
            new("operator start -> all woken, all rows deleted", total, "s", "includes process start"),
            new("  of which: start -> first scale request", Statistics.Median([.. rounds.Select(r => r.FirstScale.TotalSeconds)]), "s",
                "process start, views synced, initial rows read"),
            new("  of which: start -> all 1,000 scaled", Statistics.Median([.. rounds.Select(r => r.AllScaled.TotalSeconds)]), "s"),
            new("  of which: start -> first row deleted", Statistics.Median([.. rounds.Select(r => r.FirstDelete.TotalSeconds)]), "s"),
            new("  operator CPU time (user + system)", Statistics.Median([.. rounds.Select(r => r.OperatorCpu.TotalSeconds)]), "s",
                "2 cores, shared with ovsdb-server and the API double"),
            new("operator / floor", total / floor, "x", $"per round: {perRound}") { Target = 2.0 },
            new("wakes issued (every round)", rounds.Max(r => r.Wakes), "scale writes") { Target = Services },
            new("rows left (every round)", rounds.Max(r => r.RowsLeft), "rows") { Target = 0 },
            new("operator peak RSS (VmHWM)", rounds.Max(r => Statistics.Megabytes(r.PeakResident)), "MB", "highest round"),
        ];
    }

    private async Task<BacklogRound> RunRoundAsync(BenchmarkContext context, int rowCount, CancellationToken cancellationToken)
    {
        await using var stack = await BenchmarkStack.StartAsync(cancellationToken);
        context.Progress($"creating {Services:N0} idled Services and {ChassisCount} chassis");
        await stack.CreateServicesAsync(Services, idled: true, cancellationToken);
        var chassis = await stack.AddChassisAsync(ChassisCount, cancellationToken);
        var rows = Enumerable.Range(0, rowCount).Select(i => (BenchmarkStack.Vip(i % Services), (Guid?)chassis[i % ChassisCount], (long)(i / ChassisCount) + 1)).ToList();

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
        context.Progress($"floor: select {select.Elapsed.TotalSeconds:0.000} s + delete {delete.Elapsed.TotalSeconds:0.000} s");

        await stack.InsertEventsAsync(rows, cancellationToken);

        // Progress is read from the operator's own count of rows whose delete transaction committed
        // (what the floor's delete waits for too), not from a monitor of ours: a second monitor would
        // make ovsdb-server compose every delete twice, a load the floor does not carry. That no row
        // is left is then checked on the server.
        var watch = Stopwatch.StartNew();
        await using var unidler = OperatorProcess.Start(stack.OperatorEnvironment(), context.OperatorLog(Name));
        TimeSpan? firstScale = null, allScaled = null, firstDelete = null;
        await Completion.WaitAsync(async () =>
        {
            var scaled = stack.ScaleWrites();
            firstScale ??= scaled > 0 ? watch.Elapsed : null;
            allScaled ??= scaled >= Services ? watch.Elapsed : null;
            double? deleted;
            try
            {
                deleted = await unidler.ReadMetricAsync("ovn_unidler_rows_deleted_total", cancellationToken);
            }
            catch (HttpRequestException)
            {
                deleted = null;
            }

            firstDelete ??= deleted > 0 ? watch.Elapsed : null;
            return deleted >= rowCount && scaled >= Services;
        }, TimeSpan.FromMinutes(5), "the backlog cleared", cancellationToken);
        watch.Stop();
        var rowsLeft = await stack.CountRowsAsync(cancellationToken);
        var result = new BacklogRound(select.Elapsed, delete.Elapsed, watch.Elapsed, firstScale ?? TimeSpan.Zero, allScaled ?? TimeSpan.Zero,
            firstDelete ?? TimeSpan.Zero, stack.ScaleWrites(), rowsLeft, unidler.PeakResidentBytes, unidler.CpuTime);
        var requests = stack.Api.Requests.Snapshot().Where(request => request.Verb != "watch").ToList();
        context.Progress("API requests: " + string.Join(", ", requests
            .GroupBy(request => $"{request.Verb} {request.Resource}{(request.Subresource is null ? "" : "/" + request.Subresource)}")
            .OrderByDescending(group => group.Count())
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Key} {group.Count()} ({group.Sum(request => request.Duration.TotalMilliseconds):0} ms)"))));
        context.Progress($"operator: {watch.Elapsed.TotalSeconds:0.000} s (first scale {result.FirstScale.TotalSeconds:0.000} s, all scaled "
            + $"{result.AllScaled.TotalSeconds:0.000} s), {result.Wakes} wakes, ratio {watch.Elapsed / (select.Elapsed + delete.Elapsed):0.00}, "
            + $"CPU {result.OperatorCpu.TotalSeconds:0.00} s, peak RSS {Statistics.Megabytes(result.PeakResident):0} MB");
        return result;
    }
}
