using System.Diagnostics;
using OvnUnidler.Benchmarks.Loading;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 2's benchmark. With N Controller_Event rows in a real Southbound, side by side in one run:
/// (a) OvsdbClient connects, monitors Controller_Event as the operator does and materialises every
/// row as a typed ControllerEventRow (until the initial snapshot is complete); (b) `ovsdb-client -f
/// json transact` selects the same rows, its output written to a file. Targets: a/b at most 1.2,
/// and the peak managed heap during (a) at most twice the rows' JSON.
/// </summary>
public sealed partial class OvsdbMonitorScenario : IBenchmarkScenario
{
    private const double TimeTarget = 1.2;
    private const double MemoryTarget = 2.0;

    public string Name => "ovsdb-monitor";

    public string Description => "N Controller_Event rows (default 100,000): OvsdbClient monitor vs ovsdb-client select";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var rows = context.Rows ?? 100_000;
        using var directory = LabDirectory.Create("bench");
        await using var server = await OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory.Path }, cancellationToken);
        try
        {
            context.Progress($"loading {rows:N0} rows in batches of {ControllerEventLoader.BatchSize:N0}");
            var loading = Stopwatch.StartNew();
            await using (var loader = new OvsdbClient(new OvsdbClientOptions { Remote = server.UnixRemote }))
            {
                await loader.StartAsync(cancellationToken);
                await ControllerEventLoader.LoadAsync(loader, rows, cancellationToken);
            }

            var loadTime = loading.Elapsed;
            var replyBytes = await MeasureMonitorReplyBytesAsync(server.UnixSocketPath, cancellationToken);
            var clientRuns = new List<ClientRun>();
            var selectRuns = new List<SelectRun>();
            for (var run = 1; run <= context.Repeat; run++)
            {
                // Alternating, so neither side always finds the server's caches warm.
                var select = await MeasureOvsdbClientSelectAsync(server, directory.Combine("select.json"), rows, cancellationToken);
                context.Progress($"run {run}: (b) ovsdb-client select {select.Elapsed.TotalSeconds:0.000} s, {Statistics.Megabytes(select.OutputBytes):0.0} MB");
                var client = await MeasureClientAsync(server, rows, cancellationToken);
                context.Progress($"run {run}: (a) OvsdbClient monitor {client.Elapsed.TotalSeconds:0.000} s, peak heap +{Statistics.Megabytes(client.PeakBytes):0.0} MB");
                selectRuns.Add(select);
                clientRuns.Add(client);
            }

            return Report(rows, loadTime, replyBytes, clientRuns, selectRuns);
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }

    private static List<BenchmarkResult> Report(
        int rows, TimeSpan loadTime, long replyBytes, IReadOnlyList<ClientRun> clientRuns, IReadOnlyList<SelectRun> selectRuns)
    {
        var a = Statistics.Median([.. clientRuns.Select(run => run.Elapsed.TotalSeconds)]);
        var b = Statistics.Median([.. selectRuns.Select(run => run.Elapsed.TotalSeconds)]);
        var peak = clientRuns.Max(run => run.PeakBytes);
        var selectBytes = selectRuns[0].OutputBytes;
        var results = new List<BenchmarkResult>
        {
            new("rows", rows, "rows", $"loaded in {loadTime.TotalSeconds:0.0} s through OvsdbClient transact"),
            new("(a) OvsdbClient connect + monitor + typed rows, median", a, "s",
                "runs: " + string.Join(", ", clientRuns.Select(run => run.Elapsed.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))),
            new("(b) ovsdb-client -f json transact select > file, median", b, "s",
                "runs: " + string.Join(", ", selectRuns.Select(run => run.Elapsed.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))),
            new("a/b", a / b, "ratio") { Target = TimeTarget },
            new("monitor reply JSON (what (a) receives)", Statistics.Megabytes(replyBytes), "MB"),
            new("select output JSON (what (b) writes)", Statistics.Megabytes(selectBytes), "MB"),
            new("peak managed heap during (a), above baseline, worst run", Statistics.Megabytes(peak), "MB",
                "GC.GetTotalMemory(false) sampled every 1 ms: includes garbage not yet collected"),
            new("peak / monitor reply JSON", (double)peak / replyBytes, "ratio") { Target = MemoryTarget },
            new("peak / select output JSON", (double)peak / selectBytes, "ratio") { Target = MemoryTarget },
            new("live managed memory after (a), client alive", Statistics.Megabytes(clientRuns.Max(run => run.RetainedBytes)), "MB",
                $"{clientRuns.Max(run => run.RetainedBytes) / rows} bytes per row (after a full GC)"),
            new("allocated during (a)", Statistics.Megabytes(clientRuns.Max(run => run.AllocatedBytes)), "MB", "GC.GetTotalAllocatedBytes"),
            new("gen0/gen1/gen2 collections during (a), worst run", clientRuns.Max(run => run.Collections.Gen0), "gen0",
                $"gen1 {clientRuns.Max(run => run.Collections.Gen1)}, gen2 {clientRuns.Max(run => run.Collections.Gen2)}"),
        };
        return results;
    }
}
