using System.Globalization;
using OvnUnidler.Benchmarks.Scenarios;

namespace OvnUnidler.Benchmarks.Running;

/// <summary>`NAME... | all [--rows N] [--repeat N] [--operator-log DIR] [--mode retransmit|hold]`.</summary>
public sealed record CommandLine(IReadOnlyList<IBenchmarkScenario> Scenarios, BenchmarkContext Context)
{
    public static string Usage =>
        "usage: dotnet run --project src/Tools/OvnUnidler.Benchmarks -c Release -- (all | SCENARIO...) [--rows N] [--repeat N] [--operator-log DIR] [--mode retransmit|hold]" + Environment.NewLine
        + "scenarios:" + Environment.NewLine
        + string.Join(Environment.NewLine, ScenarioCatalog.All.Select(scenario => $"  {scenario.Name,-16} {scenario.Description}"));

    public static CommandLine Parse(IReadOnlyList<string> arguments)
    {
        var scenarios = new List<IBenchmarkScenario>();
        int? rows = null;
        var repeat = 3;
        string? operatorLog = null;
        var mode = FirstByteMode.Retransmit;
        for (var index = 0; index < arguments.Count; index++)
        {
            switch (arguments[index])
            {
                case "--rows":
                    rows = Number(arguments, ++index, "--rows");
                    break;
                case "--repeat":
                    repeat = Number(arguments, ++index, "--repeat");
                    break;
                case "--operator-log":
                    operatorLog = ++index < arguments.Count ? arguments[index] : throw new ArgumentException("--operator-log needs a directory");
                    break;
                case "--mode":
                    mode = ++index < arguments.Count && Enum.TryParse<FirstByteMode>(arguments[index], ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                        ? parsed
                        : throw new ArgumentException("--mode needs retransmit or hold");
                    break;
                case "all":
                    scenarios.AddRange(ScenarioCatalog.All);
                    break;
                case var name:
                    scenarios.Add(ScenarioCatalog.Find(name) ?? throw new ArgumentException($"unknown scenario '{name}'"));
                    break;
            }
        }

        return scenarios.Count == 0
            ? throw new ArgumentException("name a scenario or all")
            : new CommandLine([.. scenarios.Distinct()], new BenchmarkContext { Rows = rows, Repeat = repeat, OperatorLogDirectory = operatorLog, Mode = mode });
    }

    private static int Number(IReadOnlyList<string> arguments, int index, string option) =>
        index < arguments.Count && int.TryParse(arguments[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{option} needs a positive number");
}
