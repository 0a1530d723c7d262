using System.Text.RegularExpressions;

namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>kubectl's column output split into cells (columns are at least two spaces apart); an empty first column (a cluster-scoped row under NAMESPACE) is an empty cell.</summary>
public static partial class Table
{
    public static IReadOnlyList<string[]> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Gap().Split(line.TrimEnd()))
            .ToList();

    /// <summary>The cell of one column (by header) in the row whose first cell is <paramref name="name"/>.</summary>
    public static string Cell(string output, string name, string header)
    {
        var rows = Parse(output);
        var column = Array.IndexOf(rows[0], header);
        Assert.True(column >= 0, $"no column {header} in: {string.Join(" | ", rows[0])}");
        var row = rows.Skip(1).FirstOrDefault(cells => cells.Contains(name)) ?? throw new Xunit.Sdk.XunitException($"no row {name} in:\n{output}");
        return row[column];
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Gap();
}
