namespace OvnUnidler.Lab.Processes;

public sealed class LabCommandException(string command, int exitCode, string standardError)
    : Exception($"'{command}' exited with {exitCode}: {standardError.Trim()}")
{
    public string Command { get; } = command;

    public int ExitCode { get; } = exitCode;

    public string StandardError { get; } = standardError;
}
