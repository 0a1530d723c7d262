namespace OvnUnidler.Lab.Tests.Ovn;

/// <summary>Reads /proc to tell whether a process lives; a zombie counts as gone (it only waits to be reaped).</summary>
internal static class ProcessTable
{
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] is not ("Z" or "X" or "x");
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Live processes whose command line mentions <paramref name="text"/> (a lab directory).</summary>
    public static IReadOnlyList<string> RunningWith(string text)
    {
        var found = new List<string>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal) && IsRunning(pid))
                {
                    found.Add($"{pid} {commandLine}");
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
        }

        return found;
    }
}
