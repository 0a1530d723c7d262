using System.Globalization;
using OvnUnidler.Ovsdb.Fuzzing.Decoding;

namespace OvnUnidler.Ovsdb.Fuzzing.Running;

/// <summary>What a run did: cases, speed, each outcome kind's count, and every crash and hang.</summary>
public sealed class FuzzReport
{
    private readonly SortedDictionary<string, long> outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<OutcomeClass, long> classes = [];

    public long Seed { get; init; }

    public long Cases { get; private set; }

    public TimeSpan Elapsed { get; set; }

    public double CasesPerSecond => Elapsed > TimeSpan.Zero ? Cases / Elapsed.TotalSeconds : 0;

    /// <summary>Count per outcome kind: "accepted", "STAGE: EXCEPTION" for rejections, "crash: …", "hang: …", "stall: …".</summary>
    public IReadOnlyDictionary<string, long> Outcomes => outcomes;

    public List<FuzzFinding> Crashes { get; } = [];

    public List<FuzzFinding> Hangs { get; } = [];

    public List<FuzzFinding> Stalls { get; } = [];

    /// <summary>Crashes, hangs and stalls: the cases that fail a run.</summary>
    public int Failures => Crashes.Count + Hangs.Count + Stalls.Count;

    /// <summary>True when the run stopped before its last case (too many hangs).</summary>
    public bool Stopped { get; set; }

    public long Count(OutcomeClass outcomeClass) => classes.GetValueOrDefault(outcomeClass);

    public List<FuzzFinding> FindingsOf(OutcomeClass outcomeClass) => outcomeClass switch
    {
        OutcomeClass.Crash => Crashes,
        OutcomeClass.Hang => Hangs,
        OutcomeClass.Stalled => Stalls,
        _ => throw new ArgumentOutOfRangeException(nameof(outcomeClass), outcomeClass, "only crashes, hangs and stalls are findings"),
    };

    public void Add(CaseOutcome outcome)
    {
        Cases++;
        classes[outcome.Class] = classes.GetValueOrDefault(outcome.Class) + 1;
        outcomes[outcome.Kind] = outcomes.GetValueOrDefault(outcome.Kind) + 1;
    }

    public void WriteTo(TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"seed {Seed}: {Cases:N0} cases in {Elapsed.TotalSeconds:0.0} s, {CasesPerSecond:N0} cases/s{(Stopped ? " (stopped early)" : "")}"));
        output.WriteLine(string.Create(culture, $"accepted {Count(OutcomeClass.Accepted):N0}, rejected {Count(OutcomeClass.Rejected):N0}, crashes {Count(OutcomeClass.Crash):N0}, hangs {Count(OutcomeClass.Hang):N0}, stalls {Count(OutcomeClass.Stalled):N0}"));
        var width = outcomes.Keys.DefaultIfEmpty("").Max(key => key.Length);
        foreach (var (kind, count) in outcomes.OrderByDescending(pair => pair.Value))
        {
            output.WriteLine(string.Create(culture, $"  {kind.PadRight(width)}  {count,10:N0}  {100.0 * count / Math.Max(1, Cases),6:0.00} %"));
        }

        // One bug usually fails many cases: each signature once, with its first case.
        foreach (var group in Crashes.Concat(Hangs).Concat(Stalls).GroupBy(finding => (finding.Class, finding.Signature)))
        {
            var finding = group.First();
            output.WriteLine(string.Create(culture, $"{finding.Class.ToString().ToUpperInvariant()} x{group.Count()} {finding.Signature}"));
            output.WriteLine(string.Create(culture, $"  first: seed {finding.Seed} case {finding.Case}: {finding.Description}"));
            if (finding.SavedTo is { } saved)
            {
                output.WriteLine($"  bytes: {saved}");
            }
        }
    }
}
