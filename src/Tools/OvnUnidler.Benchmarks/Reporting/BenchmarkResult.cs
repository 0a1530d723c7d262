using System.Text.Json.Serialization;

namespace OvnUnidler.Benchmarks.Reporting;

/// <summary>
/// One figure of a scenario. A target, when set, is an upper bound (lower is better) unless
/// <see cref="HigherIsBetter"/>; <see cref="Met"/> is null for figures without a target.
/// </summary>
public sealed record BenchmarkResult(string Metric, double Value, string Unit, string? Note = null)
{
    public double? Target { get; init; }

    public bool HigherIsBetter { get; init; }

    [JsonInclude]
    public bool? Met => Target is { } target ? HigherIsBetter ? Value >= target : Value <= target : null;
}
