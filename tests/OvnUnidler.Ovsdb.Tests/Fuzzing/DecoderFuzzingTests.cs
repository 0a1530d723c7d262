using OvnUnidler.Ovsdb.Fuzzing.Decoding;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Fuzzing.Running;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;

namespace OvnUnidler.Ovsdb.Tests.Fuzzing;

/// <summary>
/// Issue 6: a fuzzing run of the OVSDB stream decoder finds no crash or hang. A bounded run with a
/// fixed seed (the benchmark decoder-fuzz runs a million cases), on the seeds recorded from real
/// ovsdb-servers, through the client's real decode path.
/// The engine judges a case by the process's CPU time, so these run alone: a test running beside
/// them would count its CPU time as the case's.
/// </summary>
[Collection(nameof(CpuMeasuredCollection))]
public sealed class DecoderFuzzingTests
{
    private const long Seed = 20_240_601;

    private static readonly SeedCorpus Corpus = SeedCorpus.Embedded();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bounded_run_finds_no_crash_or_hang_and_reaches_past_the_parser()
    {
        var engine = new FuzzEngine(new CaseGenerator(Corpus), new ClientDecoder(Corpus));

        // Cases are judged by CPU time (CaseLimits), not by this deadline, which only stops a run that never ends.
        var report = await engine.RunAsync(new FuzzOptions { Seed = Seed, Cases = 25_000 }, Ct).WaitAsync(TimeSpan.FromMinutes(10), Ct);

        var summary = new StringWriter();
        report.WriteTo(summary);
        Assert.True(report.Failures == 0, summary.ToString());
        Assert.Equal(25_000, report.Cases);

        // Both outcomes in earnest: mutations that only ever break the JSON would test the parser alone.
        Assert.InRange(report.Count(OutcomeClass.Accepted), 2_500, 18_750);
        Assert.InRange(report.Count(OutcomeClass.Rejected), 6_250, 22_500);

        // Rejected behind the framer: by monitor replies, update2/update3, results and _Server checks.
        string[] deepStages = ["monitor-reply", "update2", "update3", "transact", "list_dbs", "get_schema: OvsdbProtocolException", "MemberRefused"];
        var deep = report.Outcomes.Where(pair => deepStages.Any(stage => pair.Key.Contains(stage, StringComparison.Ordinal))).Sum(pair => pair.Value);
        Assert.True(deep >= 1_000, summary.ToString());
        Assert.Contains(report.Outcomes.Keys, kind => kind.StartsWith("update2:", StringComparison.Ordinal));
        Assert.Contains(report.Outcomes.Keys, kind => kind.StartsWith("update3:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DecodeTransport.Direct)]
    [InlineData(DecodeTransport.Connection)]
    public async Task Every_recorded_conversation_decodes_unmutated(DecodeTransport transport)
    {
        var decoder = new ClientDecoder(Corpus);

        foreach (var seed in Corpus.Seeds)
        {
            var fuzzCase = new FuzzCase(0, 0, seed.Name, seed.Bytes, [seed.Bytes.Length], transport, 64 * 1024, "unmutated");
            var outcome = await decoder.RunAsync(fuzzCase, new CaseProgress(), Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);

            // Only the error replies the recorder asked for (unknown database, unknown table, …).
            Assert.True(outcome.Class == OutcomeClass.Accepted || outcome.Exception is OvnUnidler.Ovsdb.Protocol.OvsdbErrorException,
                $"{seed.Name}: {outcome.Kind} {outcome.Exception}");
        }
    }

    [Fact]
    public async Task A_case_is_made_and_judged_again_from_its_seed_and_number()
    {
        var engine = new FuzzEngine(new CaseGenerator(Corpus), new ClientDecoder(Corpus));

        for (var number = 500L; number < 540; number++)
        {
            var (first, firstOutcome) = await engine.RunCaseAsync(Seed, number, new CaseLimits()).WaitAsync(TimeSpan.FromMinutes(3), Ct);
            var (again, againOutcome) = await new FuzzEngine(new CaseGenerator(SeedCorpus.Embedded()), new ClientDecoder(Corpus))
                .RunCaseAsync(Seed, number, new CaseLimits()).WaitAsync(TimeSpan.FromMinutes(3), Ct);

            Assert.Equal(first.Bytes, again.Bytes);
            Assert.Equal(first.Chunks, again.Chunks);
            Assert.Equal(first.Description, again.Description);
            Assert.Equal((first.Transport, first.StreamThreshold), (again.Transport, again.StreamThreshold));
            Assert.Equal(first.Bytes.Length, first.Chunks.Sum());
            Assert.Equal(firstOutcome.Kind, againOutcome.Kind);
        }

        var generator = new CaseGenerator(Corpus);
        Assert.NotEqual(generator.Generate(Seed, 1).Description, generator.Generate(Seed + 1, 1).Description);
    }
}
