using OvnUnidler.Ovsdb.Fuzzing.Decoding;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Fuzzing.Running;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Tests.Fuzzing;

/// <summary>
/// The engine's verdicts can fail: targets that crash, spin, cost too much CPU or block are reported
/// as such, with what reproduces them; a target slow only on the wall clock is not. The engine
/// measures the process's CPU time, so these tests run alone: another test's CPU time during a case
/// would count as the case's.
/// </summary>
[Collection(nameof(CpuMeasuredCollection))]
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
    public async Task Target_that_spins_without_progress_is_a_hang_and_the_run_goes_on()
    {
        var engine = new FuzzEngine(Generator, new Target((fuzzCase, _, token) =>
        {
            // Ignores nothing but the engine giving up, as a decoder stuck in a loop would.
            while (fuzzCase.Number == 1 && !token.IsCancellationRequested)
            {
            }

            return Task.FromResult(CaseOutcome.Accepted);
        }));

        var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 3, Limits = Limits(cpu: 30, withoutProgress: 0.2, backstop: 60) }, Ct)
            .WaitAsync(TimeSpan.FromMinutes(2), Ct);

        var hang = Assert.Single(report.Hangs);
        Assert.Equal((1L, OutcomeClass.Hang), (hang.Case, hang.Class));
        Assert.Equal(1, report.Outcomes["hang: no progress"]);
        Assert.Equal(2, report.Count(OutcomeClass.Accepted));
    }

    [Fact]
    public async Task Target_that_progresses_but_uses_more_cpu_than_the_limit_is_a_hang()
    {
        var engine = new FuzzEngine(Generator, new Target((_, progress, token) =>
        {
            // Super-linear decoding: it keeps taking in bytes, at an ever higher cost.
            while (!token.IsCancellationRequested)
            {
                progress.TookIn(1);
            }

            return Task.FromResult(CaseOutcome.Accepted);
        }));

        var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 1, Limits = Limits(cpu: 0.3, withoutProgress: 30, backstop: 60) }, Ct)
            .WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.Single(report.Hangs);
        Assert.Equal(1, report.Outcomes["hang: over the CPU limit"]);
    }

    [Fact]
    public async Task Target_that_waits_forever_without_cpu_is_a_stall_reported_by_the_wall_clock_backstop()
    {
        var engine = new FuzzEngine(Generator, new Target(async (fuzzCase, _, token) =>
        {
            if (fuzzCase.Number == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return CaseOutcome.Accepted;
        }));

        var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 3, Limits = Limits(cpu: 30, withoutProgress: 30, backstop: 0.3) }, Ct)
            .WaitAsync(TimeSpan.FromMinutes(2), Ct);

        var stall = Assert.Single(report.Stalls);
        Assert.Equal((1L, OutcomeClass.Stalled), (stall.Case, stall.Class));
        Assert.Empty(report.Hangs);
        Assert.Equal(2, report.Count(OutcomeClass.Accepted));
    }

    [Fact]
    public async Task Target_that_blocks_its_thread_stalls_and_enough_of_them_stop_the_run()
    {
        using var release = new ManualResetEventSlim();
        try
        {
            var engine = new FuzzEngine(Generator, new Target((_, _, _) =>
            {
                // Ignores the token and uses no CPU, as a decoder in a deadlock would.
                release.Wait(TimeSpan.FromSeconds(30));
                return Task.FromResult(CaseOutcome.Accepted);
            }));

            var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 2, Limits = Limits(cpu: 30, withoutProgress: 30, backstop: 0.3), MaxHangs = 1 }, Ct)
                .WaitAsync(TimeSpan.FromMinutes(2), Ct);

            Assert.Single(report.Stalls);
            Assert.True(report.Stopped);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task Case_that_takes_long_on_the_wall_clock_but_little_cpu_is_not_a_hang()
    {
        var engine = new FuzzEngine(Generator, new Target((_, progress, _) =>
        {
            // What a loaded machine does to a cheap case: its thread waits for a core. The sleep is
            // the behaviour under test, not a wait for a condition.
            // The limits are half the sleep: the case's CPU is the process's, so the test process'
            // own background work (GC, tiered JIT, other fixtures' clients) counts against it too.
            Thread.Sleep(TimeSpan.FromSeconds(3));
            progress.TookIn(1);
            return Task.FromResult(CaseOutcome.Accepted);
        }));

        var report = await engine.RunAsync(new FuzzOptions { Seed = 9, Cases = 1, Limits = Limits(cpu: 1.5, withoutProgress: 1.5, backstop: 60) }, Ct)
            .WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.Equal(0, report.Failures);
        Assert.Equal(1, report.Count(OutcomeClass.Accepted));
    }

    private static CaseLimits Limits(double cpu, double withoutProgress, double backstop) => new()
    {
        Cpu = TimeSpan.FromSeconds(cpu),
        CpuWithoutProgress = TimeSpan.FromSeconds(withoutProgress),
        WallClockBackstop = TimeSpan.FromSeconds(backstop),
    };

    private sealed class Target(Func<FuzzCase, CaseProgress, CancellationToken, Task<CaseOutcome>> run) : IDecodeTarget
    {
        public Target(Func<FuzzCase, CancellationToken, Task<CaseOutcome>> run)
            : this((fuzzCase, _, token) => run(fuzzCase, token))
        {
        }

        public Task<CaseOutcome> RunAsync(FuzzCase fuzzCase, CaseProgress progress, CancellationToken cancellationToken) => run(fuzzCase, progress, cancellationToken);
    }
}
