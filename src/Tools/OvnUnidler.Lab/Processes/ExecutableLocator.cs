namespace OvnUnidler.Lab.Processes;

/// <summary>Finds OVS/OVN binaries also where /usr/sbin is not on PATH (non-root shells).</summary>
public static class ExecutableLocator
{
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/usr/local/sbin"];

    public static string Find(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return executable;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(directory, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"{executable} is not installed; run `bash .ci/setup` (installs ovn-central ovn-host openvswitch-switch)", executable);
    }

    public static bool IsInstalled(string executable)
    {
        try
        {
            Find(executable);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
