using OvnUnidler.Benchmarks.Scenarios;

namespace OvnUnidler.Benchmarks.Running;

/// <summary>What a scenario gets from the command line: sizes it may scale, how often to repeat, where to log.</summary>
public sealed class BenchmarkContext
{
    /// <summary>--rows N: the table size for scenarios that load rows (each has its own default).</summary>
    public int? Rows { get; init; }

    /// <summary>--repeat N: how many times each measurement is taken; the median is reported.</summary>
    public int Repeat { get; init; } = 3;

    /// <summary>--operator-log DIR: each operator process logs at Information to DIR/SCENARIO.log (diagnosis only).</summary>
    public string? OperatorLogDirectory { get; init; }

    /// <summary>--mode retransmit|hold: how first-byte runs the operator (the other scenarios ignore it).</summary>
    public FirstByteMode Mode { get; init; } = FirstByteMode.Retransmit;

    public string? OperatorLog(string scenario) =>
        OperatorLogDirectory is null ? null : Path.Combine(Directory.CreateDirectory(OperatorLogDirectory).FullName, scenario + ".log");

    public TextWriter Log { get; init; } = Console.Error;

    public void Progress(string message) => Log.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
}
