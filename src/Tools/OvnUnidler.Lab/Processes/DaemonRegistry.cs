namespace OvnUnidler.Lab.Processes;

/// <summary>
/// Every daemon this process started and has not stopped yet. When the process exits (a test
/// run that failed or was cancelled before its fixture stopped the lab) they are killed, so
/// no daemon outlives its owner.
/// </summary>
internal static class DaemonRegistry
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<DaemonProcess> Running = [];

    static DaemonRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Add(DaemonProcess daemon)
    {
        lock (Gate)
        {
            Running.Add(daemon);
        }
    }

    public static void Remove(DaemonProcess daemon)
    {
        lock (Gate)
        {
            Running.Remove(daemon);
        }
    }

    private static void KillAll()
    {
        DaemonProcess[] left;
        lock (Gate)
        {
            left = [.. Running];
            Running.Clear();
        }

        foreach (var daemon in left)
        {
            daemon.KillNow();
        }
    }
}
