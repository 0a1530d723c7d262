using System.Globalization;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// Removes what real-traffic labs of dead owners left behind (a test run killed before its
/// fixtures stopped): their network namespaces with every process inside, the daemons named in
/// their directories' pidfiles, and the directories. It touches only names of the lab's own
/// pattern whose owner process is gone, so labs of live processes, other users' namespaces and
/// processes that reused a pid are left alone.
/// </summary>
public static class LeftoverReaper
{
    public static async Task<int> ReapAsync(CancellationToken cancellationToken = default)
    {
        var runner = new CommandRunner("/tmp");
        var removed = 0;
        foreach (var directory in System.IO.Directory.EnumerateDirectories("/tmp", "ovnrt-*"))
        {
            var ownerFile = Path.Combine(directory, LabNames.OwnerFile);
            if (!File.Exists(ownerFile) || !LabOwner.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner) || owner.IsAlive)
            {
                continue;
            }

            KillDaemons(directory);
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
                removed++;
            }
            catch (IOException)
            {
                // A daemon still dying may recreate a socket; the next reap takes the rest.
            }
        }

        foreach (var name in NetworkNamespace.List())
        {
            if (LabNames.TryParseNamespace(name, out var owner, out _) && !owner.IsAlive)
            {
                await NetworkNamespace.DeleteAsync(runner, name, cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Kills each pidfile's process whose command line names the directory (a pid reused by another program does not).</summary>
    internal static void KillDaemons(string directory)
    {
        foreach (var pidFile in System.IO.Directory.EnumerateFiles(directory, "*.pid", SearchOption.AllDirectories))
        {
            try
            {
                if (int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && File.ReadAllText($"/proc/{pid}/cmdline").Contains(directory, StringComparison.Ordinal))
                {
                    PosixSignal.Send(pid, PosixSignal.Kill);
                }
            }
            catch (IOException)
            {
                // Gone already.
            }
        }
    }
}
