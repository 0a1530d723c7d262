using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Ovsdb.Fuzzing.Decoding;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Fuzzing.Running;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 6: a fuzzing run of the OVSDB stream decoder finding no crash or hang. A million mutated
/// server streams (seeds recorded from real ovsdb-servers) through the client's decode path, a
/// quarter of them through a real JsonRpcConnection. --rows N sets the number of cases.
/// </summary>
public sealed class DecoderFuzzScenario : IBenchmarkScenario
{
    private const long Seed = 1;

    public string Name => "decoder-fuzz";

    public string Description => "1,000,000 mutated server streams through the OVSDB decoder: crashes and hangs (target 0), outcomes";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var cases = context.Rows ?? 1_000_000;
        var corpus = SeedCorpus.Embedded();
        var findings = Path.Combine(Path.GetTempPath(), "ovn-unidler-decoder-fuzz");
        context.Progress($"fuzzing the decoder: {cases:N0} cases, seed {Seed}, {corpus.Seeds.Count} seeds; findings go to {findings}");
        var engine = new FuzzEngine(new CaseGenerator(corpus), new ClientDecoder(corpus), context.Log);
        var options = new FuzzOptions { Seed = Seed, Cases = cases, OutputDirectory = findings, ProgressInterval = TimeSpan.FromSeconds(30) };
        var report = await engine.RunAsync(options, cancellationToken);
        report.WriteTo(context.Log);

        List<BenchmarkResult> results =
        [
            new("cases run", report.Cases, "cases", $"seed {Seed}{(report.Stopped ? ", stopped early" : "")}"),
            new("cases per second", report.CasesPerSecond, "cases/s", $"{report.Elapsed.TotalSeconds:0.0} s"),
            new("crashes", report.Crashes.Count, "cases", report.Crashes.FirstOrDefault()?.Signature) { Target = 0 },
            new($"hangs (over {options.Limits.Cpu.TotalSeconds:0.#} s of CPU, or {options.Limits.CpuWithoutProgress.TotalSeconds:0.#} s without progress)", report.Hangs.Count, "cases",
                report.Hangs.FirstOrDefault() is { } hang ? $"first: case {hang.Case}" : null) { Target = 0 },
            new($"stalls (no verdict after {options.Limits.WallClockBackstop.TotalSeconds:0} s of wall clock)", report.Stalls.Count, "cases") { Target = 0 },
            new("accepted", report.Count(OutcomeClass.Accepted), "cases", Share(report.Count(OutcomeClass.Accepted), report.Cases)),
            new("rejected with a documented error", report.Count(OutcomeClass.Rejected), "cases", Share(report.Count(OutcomeClass.Rejected), report.Cases)),
        ];
        foreach (var (kind, count) in report.Outcomes.Where(pair => pair.Key != "accepted").OrderByDescending(pair => pair.Value))
        {
            results.Add(new BenchmarkResult($"  {kind}", count, "cases", Share(count, report.Cases)));
        }

        return results;
    }

    private static string Share(long count, long total) => $"{100.0 * count / Math.Max(1, total):0.00} %";
}
