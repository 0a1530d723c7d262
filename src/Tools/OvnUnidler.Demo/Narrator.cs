using System.Diagnostics;
using System.Globalization;

namespace OvnUnidler.Demo;

/// <summary>Prints what happens, each line stamped with the time since the demo's packet was sent.</summary>
public sealed class Narrator(TextWriter output)
{
    private readonly Lock gate = new();
    private readonly List<(TimeSpan At, string Line)> held = [];
    private bool holding;
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

    /// <summary>
    /// Keeps steps until <see cref="ReleaseInOrder"/>: curl and tcpdump report their times only
    /// when they finish or flush, so a timeline is readable only once sorted.
    /// </summary>
    public void HoldSteps()
    {
        lock (gate)
        {
            holding = true;
        }
    }

    /// <summary>Writes the steps kept since <see cref="HoldSteps"/>, ordered by their time (stable for equal times).</summary>
    public void ReleaseInOrder()
    {
        lock (gate)
        {
            holding = false;
            foreach (var (_, line) in held.OrderBy(step => step.At))
            {
                output.WriteLine(line);
            }

            held.Clear();
        }
    }

    private void Write(TimeSpan elapsed, string source, string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"  {elapsed.TotalMilliseconds,9:F1} ms  {source,-12} {message}");
        lock (gate)
        {
            if (holding)
            {
                held.Add((elapsed, line));
            }
            else
            {
                output.WriteLine(line);
            }
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
