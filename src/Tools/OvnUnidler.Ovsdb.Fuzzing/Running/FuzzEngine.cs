using System.Diagnostics;
using System.Globalization;
using System.Text;
using OvnUnidler.Ovsdb.Fuzzing.Decoding;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;

namespace OvnUnidler.Ovsdb.Fuzzing.Running;

/// <summary>
/// Runs cases one after another against a target and judges each: accepted or rejected with a
/// documented error is fine; any other exception is a crash, a case over its CPU limits a hang and
/// one without a verdict at the wall-clock backstop a stall (<see cref="CaseLimits"/>), each saved
/// with what reproduces it. A case runs on the thread pool so that a hung one can be left behind;
/// its token is cancelled then, which a cooperative target honours.
/// </summary>
public sealed class FuzzEngine(CaseGenerator generator, IDecodeTarget target, TextWriter? log = null)
{
    public async Task<FuzzReport> RunAsync(FuzzOptions options, CancellationToken cancellationToken)
    {
        var report = new FuzzReport { Seed = options.Seed };
        var saved = new Dictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var nextProgress = options.ProgressInterval;
        for (var number = options.FirstCase; number < options.FirstCase + options.Cases; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (fuzzCase, outcome) = await RunCaseAsync(options.Seed, number, options.Limits).ConfigureAwait(false);
            report.Add(outcome);
            if (outcome.Class is OutcomeClass.Crash or OutcomeClass.Hang or OutcomeClass.Stalled)
            {
                var finding = Finding(fuzzCase, outcome, options, saved);
                report.FindingsOf(outcome.Class).Add(finding);
                log?.WriteLine($"{outcome.Class.ToString().ToUpperInvariant()} seed {fuzzCase.Seed} case {fuzzCase.Number}: {finding.Signature}{(outcome.Detail is { } detail ? $" ({detail})" : "")}");
                if (report.Hangs.Count + report.Stalls.Count >= options.MaxHangs)
                {
                    report.Stopped = true;
                    break;
                }
            }

            if (log is not null && watch.Elapsed >= nextProgress)
            {
                nextProgress += options.ProgressInterval;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{report.Cases:N0} cases, {report.Cases / watch.Elapsed.TotalSeconds:N0}/s, crashes {report.Crashes.Count}, hangs {report.Hangs.Count}, stalls {report.Stalls.Count}"));
            }
        }

        report.Elapsed = watch.Elapsed;
        return report;
    }

    /// <summary>Case <paramref name="number"/> of run <paramref name="seed"/>, made and judged alone (to reproduce a finding).</summary>
    public async Task<(FuzzCase Case, CaseOutcome Outcome)> RunCaseAsync(long seed, long number, CaseLimits limits)
    {
        var fuzzCase = generator.Generate(seed, number);
        var progress = new CaseProgress();
        using var abandon = new CancellationTokenSource();
        var watch = new CaseWatch(limits, progress);
        var run = Task.Run(() => target.RunAsync(fuzzCase, progress, abandon.Token), CancellationToken.None);

        // The wall clock only paces the looks; the verdict is the watch's.
        while (await Task.WhenAny(run, Task.Delay(limits.Poll, CancellationToken.None)).ConfigureAwait(false) != run)
        {
            if (watch.Judge() is { } verdict)
            {
                await abandon.CancelAsync().ConfigureAwait(false);
                return (fuzzCase, verdict);
            }
        }

        try
        {
            return (fuzzCase, await run.ConfigureAwait(false));
        }
        catch (Exception exception) when (DocumentedErrors.IsDocumented(exception))
        {
            return (fuzzCase, CaseOutcome.Rejected("target", exception));
        }
        catch (Exception exception)
        {
            return (fuzzCase, new CaseOutcome(OutcomeClass.Crash, "crash: " + exception.GetType().Name, exception));
        }
    }

    /// <summary>Exception type and the first frame of this repository's code (or the first frame) that threw.</summary>
    public static string Signature(CaseOutcome outcome)
    {
        if (outcome.Exception is not { } exception)
        {
            return outcome.Kind;
        }

        var frames = (exception.StackTrace ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var frame = frames.FirstOrDefault(line => line.Contains("OvnUnidler.", StringComparison.Ordinal)) ?? frames.FirstOrDefault() ?? "?";
        var parameters = frame.IndexOf(" in ", StringComparison.Ordinal);
        return $"{exception.GetType().FullName} {(parameters > 0 ? frame[..parameters] : frame)}";
    }

    private static FuzzFinding Finding(FuzzCase fuzzCase, CaseOutcome outcome, FuzzOptions options, Dictionary<string, int> saved)
    {
        var signature = Signature(outcome);
        string? savedTo = null;
        if (options.OutputDirectory is { } directory && saved.GetValueOrDefault(signature) < options.SavedPerSignature)
        {
            saved[signature] = saved.GetValueOrDefault(signature) + 1;
            Directory.CreateDirectory(directory);
            var name = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{outcome.Class.ToString().ToLowerInvariant()}-{fuzzCase.Seed}-{fuzzCase.Number}"));
            savedTo = name + ".bin";
            File.WriteAllBytes(savedTo, fuzzCase.Bytes);
            File.WriteAllText(name + ".txt", Describe(fuzzCase, outcome, signature));
        }

        return new FuzzFinding(outcome.Class, fuzzCase.Seed, fuzzCase.Number, fuzzCase.Description, signature, savedTo);
    }

    public static string Describe(FuzzCase fuzzCase, CaseOutcome outcome, string signature) => new StringBuilder()
        .AppendLine(CultureInfo.InvariantCulture, $"{outcome.Class} {signature}")
        .AppendLine(CultureInfo.InvariantCulture, $"reproduce: dotnet run --project src/Tools/OvnUnidler.Ovsdb.Fuzzing -- fuzz --seed {fuzzCase.Seed} --case {fuzzCase.Number}")
        .AppendLine(CultureInfo.InvariantCulture, $"mutations: {fuzzCase.Description}")
        .AppendLine(CultureInfo.InvariantCulture, $"transport: {fuzzCase.Transport}, stream threshold {fuzzCase.StreamThreshold}, {fuzzCase.Bytes.Length} bytes in reads of [{string.Join(",", fuzzCase.Chunks)}]")
        .AppendLine(outcome.Exception?.ToString() ?? outcome.Detail ?? outcome.Kind)
        .ToString();
}
