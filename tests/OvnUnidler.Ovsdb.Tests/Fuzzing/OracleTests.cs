using OvnUnidler.Ovsdb.Fuzzing.Decoding;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Fuzzing.Running;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Tests.Fuzzing;

/// <summary>The engine's verdicts can fail: targets that crash, hang or block are reported as such, with what reproduces them.</summary>
public sealed class OracleTests
{
    private static readonly CaseGenerator Generator = new(SeedCorpus.Embedded());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Undocumented_exception_is_a_crash_saved_with_its_bytes_and_seed_and_case()
    {
        var output = Directory.CreateTempSubdirectory("fuzz-oracle-");
        try
        {
            var engine = new FuzzEngine(Generator, new Target((fuzzCase, _) => fuzzCase.Number == 3 ? throw new NullReferenceException("a bug") : Task.FromResult(CaseOutcome.Accepted)));

            var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 5, OutputDirectory = output.FullName }, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

            var crash = Assert.Single(report.Crashes);
            Assert.Equal((9L, 3L, OutcomeClass.Crash), (crash.Seed, crash.Case, crash.Class));
            Assert.StartsWith("System.NullReferenceException", crash.Signature, StringComparison.Ordinal);
            Assert.Equal(Generator.Generate(9, 3).Bytes, await File.ReadAllBytesAsync(crash.SavedTo!, Ct));
            Assert.Contains("--seed 9 --case 3", await File.ReadAllTextAsync(Path.ChangeExtension(crash.SavedTo!, ".txt"), Ct), StringComparison.Ordinal);
            Assert.Equal(4, report.Count(OutcomeClass.Accepted));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Documented_protocol_errors_are_rejections_not_crashes()
    {
        var engine = new FuzzEngine(Generator, new Target((_, _) => throw new OvsdbProtocolException("garbage")));

        var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 3 }, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(3, report.Count(OutcomeClass.Rejected));
        Assert.Empty(report.Crashes);
        Assert.Equal(3, report.Outcomes["target: OvsdbProtocolException"]);
    }

    [Fact]
    public async Task Target_that_waits_forever_is_a_hang_and_the_run_goes_on()
    {
        var engine = new FuzzEngine(Generator, new Target(async (fuzzCase, token) =>
        {
            if (fuzzCase.Number == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return CaseOutcome.Accepted;
        }));

        var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 3, CaseTimeout = TimeSpan.FromMilliseconds(200) }, Ct)
            .WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var hang = Assert.Single(report.Hangs);
        Assert.Equal((1L, OutcomeClass.Hang), (hang.Case, hang.Class));
        Assert.Equal(2, report.Count(OutcomeClass.Accepted));
    }

    [Fact]
    public async Task Target_that_blocks_its_thread_is_a_hang()
    {
        using var release = new ManualResetEventSlim();
        try
        {
            var engine = new FuzzEngine(Generator, new Target((_, _) =>
            {
                // Ignores the token, as a decoder stuck in a loop would.
                release.Wait(TimeSpan.FromSeconds(30));
                return Task.FromResult(CaseOutcome.Accepted);
            }));

            var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 2, CaseTimeout = TimeSpan.FromMilliseconds(200), MaxHangs = 1 }, Ct)
                .WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Single(report.Hangs);
            Assert.True(report.Stopped);
        }
        finally
        {
            release.Set();
        }
    }

    private sealed class Target(Func<FuzzCase, CancellationToken, Task<CaseOutcome>> run) : IDecodeTarget
    {
        public Task<CaseOutcome> RunAsync(FuzzCase fuzzCase, CancellationToken cancellationToken) => run(fuzzCase, cancellationToken);
    }
}
