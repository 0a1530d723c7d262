using System.Globalization;
using System.Text.RegularExpressions;

namespace OvnUnidler.Demo;

/// <summary>
/// Shows the log lines of the operator process (its console logger, simple single-line format:
/// "2026-01-01T00:00:00.000000Zinfo: Category[EventId] message") in the demo's timeline, at the
/// time the operator stamped them. <see cref="Warnings"/> picks those
/// at warning level or above, and anything on standard error, which fail the demo: a run that
/// needed one did not go as a cluster's should.
/// </summary>
public sealed partial class OperatorLogNarration(Narrator narrator)
{
    public void OnLine(string line)
    {
        var match = ConsoleLine().Match(line);
        if (!match.Success)
        {
            // The rest of a message that spans lines (an exception's stack).
            narrator.Step("operator", $"  {line.Trim()}");
            return;
        }

        var level = match.Groups["level"].Value;
        var message = match.Groups["message"].Value;
        var text = IsWarning(level) ? $"{level.ToUpperInvariant()}: {message}" : message;
        if (DateTime.TryParse(match.Groups["time"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            narrator.StepAt(at, "operator", text);
        }
        else
        {
            narrator.Step("operator", text);
        }
    }

    public void OnErrorLine(string line) => narrator.Step("operator", $"stderr: {line}");

    /// <summary>The lines of <paramref name="output"/> at warning level or above, then <paramref name="standardError"/>'s non-empty lines.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<string> output, string standardError) =>
    [
        .. output.Select(line => ConsoleLine().Match(line)).Where(match => match.Success && IsWarning(match.Groups["level"].Value)).Select(match => match.Value),
        .. standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    ];

    private static bool IsWarning(string level) => level is "warn" or "fail" or "crit";

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z)?(?<level>trce|dbug|info|warn|fail|crit): (?<category>[^\[\s]+)\[(?<id>\d+)\] (?<message>.*)$")]
    private static partial Regex ConsoleLine();
}
