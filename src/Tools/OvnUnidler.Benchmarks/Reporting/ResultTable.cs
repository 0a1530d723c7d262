using System.Globalization;

namespace OvnUnidler.Benchmarks.Reporting;

/// <summary>Writes a scenario's results as a plain-text table.</summary>
public static class ResultTable
{
    public static void Write(TextWriter output, string scenario, IReadOnlyList<BenchmarkResult> results)
    {
        string[] header = ["metric", "value", "unit", "target", "met", "note"];
        var rows = results.Select(result => new[]
        {
            result.Metric,
            Format(result.Value),
            result.Unit,
            result.Target is { } target ? (result.HigherIsBetter ? ">= " : "<= ") + Format(target) : "",
            result.Met switch { true => "yes", false => "NO", null => "" },
            result.Note ?? "",
        }).ToList();
        var widths = header.Select((title, column) => Math.Max(title.Length, rows.Count == 0 ? 0 : rows.Max(row => row[column].Length))).ToArray();
        output.WriteLine();
        output.WriteLine($"== {scenario}");
        output.WriteLine(Line(header, widths));
        output.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, column) => column is 1 or 3 ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]))).TrimEnd();

    private static string Format(double value) => Math.Abs(value) >= 100 || value == Math.Floor(value)
        ? value.ToString("#,0.##", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}
