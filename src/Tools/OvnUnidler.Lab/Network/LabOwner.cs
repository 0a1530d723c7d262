using System.Globalization;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// The process that owns a real-traffic lab, named by its pid and its start time (field 22 of
/// /proc/PID/stat, proc(5)), so that a pid the kernel reused for another process does not pass
/// for the owner. Everything a lab makes carries this identity; the reaper removes what carries
/// an identity that no longer names a live process.
/// </summary>
public readonly record struct LabOwner(int Pid, long StartTime)
{
    public static LabOwner Current { get; } = Of(Environment.ProcessId)
        ?? throw new InvalidOperationException("/proc/self/stat is unreadable: the real-traffic lab needs Linux' /proc");

    public bool IsAlive => Of(Pid) is { } now && now.StartTime == StartTime;

    public string Token => string.Create(CultureInfo.InvariantCulture, $"{Pid}-{StartTime}");

    public static LabOwner? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            // The command name in field 2 may hold spaces and parentheses; the fields after it start past the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new LabOwner(pid, long.Parse(fields[19], CultureInfo.InvariantCulture));
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

    public static bool TryParse(string token, out LabOwner owner)
    {
        owner = default;
        var parts = token.Split('-');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            owner = new LabOwner(pid, start);
            return true;
        }

        return false;
    }
}
