using System.Globalization;

namespace OvnUnidler.Ovsdb.Fuzzing.Running;

/// <summary>
/// CPU time: what a decode costs, whatever else the machine runs. Wall-clock time is not a cost:
/// on a loaded machine (CI shares its cores) a cheap case can wait seconds for a core.
/// </summary>
public static class CpuTime
{
    /// <summary>User and system CPU time of this process so far (getrusage: one system call).</summary>
    public static TimeSpan OfProcess() => Environment.CpuUsage.TotalTime;

    /// <summary>
    /// CPU time of the calling thread so far, when the system tells it (Linux: /proc/thread-self,
    /// nanoseconds from schedstat, else clock ticks from stat); otherwise that of the whole process,
    /// which counts every other thread's work too.
    /// </summary>
    public static TimeSpan OfCurrentThread() => FromSchedstat() ?? FromStat() ?? OfProcess();

    // The first field is the time spent on a CPU, in nanoseconds (Documentation/scheduler/sched-stats).
    private static TimeSpan? FromSchedstat()
    {
        var text = Read("/proc/thread-self/schedstat");
        var first = text?.Split(' ', 2)[0];
        return long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds) && nanoseconds > 0
            ? TimeSpan.FromTicks(nanoseconds / 100)
            : null;
    }

    // proc(5): utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux); the
    // command name (field 2) is in parentheses and may hold spaces, so fields are counted after it.
    private static TimeSpan? FromStat()
    {
        var text = Read("/proc/thread-self/stat");
        var afterName = text?.LastIndexOf(')') ?? -1;
        if (afterName < 0)
        {
            return null;
        }

        var fields = text![(afterName + 2)..].Split(' ');
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
                ? TimeSpan.FromSeconds((user + system) / 100.0)
                : null;
    }

    private static string? Read(string path)
    {
        try
        {
            return OperatingSystem.IsLinux() ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
