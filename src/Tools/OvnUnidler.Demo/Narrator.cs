using System.Diagnostics;
using System.Globalization;

namespace OvnUnidler.Demo;

/// <summary>Prints what happens, each line stamped with the time since the demo's packet was sent.</summary>
public sealed class Narrator(TextWriter output)
{
    private readonly Lock gate = new();
    private long origin = Stopwatch.GetTimestamp();
    private DateTime wallOrigin = DateTime.UtcNow;

    /// <summary>The wall-clock time (UTC) the clock was last reset.</summary>
    public DateTime Origin => wallOrigin;

    public void ResetClock()
    {
        origin = Stopwatch.GetTimestamp();
        wallOrigin = DateTime.UtcNow;
    }

    /// <summary>A step stamped with a wall-clock time another program reported (curl's trace, tcpdump).</summary>
    public void StepAt(DateTime utc, string source, string message) => Write(utc - wallOrigin, source, message);

    public void Step(string source, string message) => Write(Stopwatch.GetElapsedTime(origin), source, message);

    private void Write(TimeSpan elapsed, string source, string message)
    {
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
