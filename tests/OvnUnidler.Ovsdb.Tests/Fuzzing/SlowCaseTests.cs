using OvnUnidler.Ovsdb.Fuzzing.Decoding;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Fuzzing.Running;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Tests.Harness;
using OvnUnidler.Testing;

namespace OvnUnidler.Ovsdb.Tests.Fuzzing;

/// <summary>
/// Issue 14: the cases the fuzzer called hangs on a loaded machine (2 s of wall clock). Each is a
/// monitor reply of 300 to 700 KB that repeats a member thousands of times, fed in reads of 150 to
/// 350 bytes; the decoder read the unfinished row again on every read (seed 1 case 83328 cost 2 s
/// of CPU). Made again from their seed and number, as <c>fuzz --seed S --case N</c> does.
/// The engine judges a case by the process's CPU time, so these run alone: a test running beside
/// them would count its CPU time as the case's.
/// </summary>
[Collection(nameof(CpuMeasuredCollection))]
public sealed class SlowCaseTests
{
    private static readonly SeedCorpus Corpus = SeedCorpus.Embedded();
    private static readonly CaseGenerator Generator = new(Corpus);
    private static readonly ClientDecoder Decoder = new(Corpus);

    public static TheoryData<long, long> Cases { get; } = new() { { 20_240_601, 20 }, { 1, 83_328 }, { 1, 254_919 }, { 1, 343_563 } };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_once_called_a_hang_is_judged_within_its_cpu_limits(long seed, long number)
    {
        var engine = new FuzzEngine(Generator, Decoder);

        var (fuzzCase, outcome) = await engine.RunCaseAsync(seed, number, new CaseLimits()).Within(Deadline.Long);

        Assert.InRange(fuzzCase.Bytes.Length, 300_000, 700_000);
        Assert.True(outcome.Class is OutcomeClass.Accepted or OutcomeClass.Rejected, $"{outcome.Kind}: {outcome.Detail}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_in_its_small_reads_costs_at_most_four_times_the_cpu_of_its_bytes_in_one_read(long seed, long number)
    {
        var inReads = Generator.Generate(seed, number);
        var oneRead = inReads with { Chunks = [inReads.Bytes.Length] };
        Assert.Equal(DecodeTransport.Direct, inReads.Transport);
        Assert.True(inReads.Chunks.Length > 1_000, $"{inReads.Chunks.Length} reads");

        // The direct transport decodes on the calling thread, whose CPU time is measured. The first
        // decode compiles the code. In pieces a row may be parsed up to twice more (JsonStreamFramer
        // feeds the parser again once the unfinished bytes have doubled), and each read has its own
        // small cost: four times, not the 60 times and more of a decoder that re-reads every piece.
        await Decode(inReads);
        await Decode(oneRead);
        var inReadsCost = CpuCost.OfOneRun(() => Decode(inReads).GetAwaiter().GetResult());
        var oneReadCost = CpuCost.OfOneRun(() => Decode(oneRead).GetAwaiter().GetResult());

        var figures = $"seed {seed} case {number}: {inReads.Bytes.Length:N0} bytes in {inReads.Chunks.Length:N0} reads cost {inReadsCost.TotalMilliseconds:0.0} ms of CPU, " +
            $"in one read {oneReadCost.TotalMilliseconds:0.0} ms (at most four times)";
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        Assert.True(inReadsCost <= 4 * oneReadCost, figures);
    }

    private static Task<CaseOutcome> Decode(FuzzCase fuzzCase)
    {
        var run = Decoder.RunAsync(fuzzCase, new CaseProgress(), TestContext.Current.CancellationToken);
        Assert.True(run.IsCompleted, "the direct transport decodes synchronously");
        return run;
    }
}
