using System.Runtime.InteropServices;

namespace OvnUnidler.Lab.Processes;

public static partial class PosixSignal
{
    public const int Terminate = 15;
    public const int Kill = 9;

    public static bool Send(int pid, int signal) => SysKill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
