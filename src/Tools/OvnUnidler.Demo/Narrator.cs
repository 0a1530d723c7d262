using System.Diagnostics;
using System.Globalization;

namespace OvnUnidler.Demo;

/// <summary>Prints what happens, each line stamped with the time since the demo's packet was sent.</summary>
public sealed class Narrator(TextWriter output)
{
    private readonly Lock gate = new();
    private long origin = Stopwatch.GetTimestamp();

    public void ResetClock() => origin = Stopwatch.GetTimestamp();

    public void Step(string source, string message)
    {
        var elapsed = Stopwatch.GetElapsedTime(origin);
        lock (gate)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {elapsed.TotalMilliseconds,9:F1} ms  {source,-12} {message}"));
        }
    }

    public void Heading(string text)
    {
        lock (gate)
        {
            output.WriteLine();
            output.WriteLine($"== {text}");
        }
    }

    public void Say(string text)
    {
        lock (gate)
        {
            output.WriteLine(text);
        }
    }
}
