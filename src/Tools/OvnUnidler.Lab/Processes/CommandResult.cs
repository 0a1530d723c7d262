namespace OvnUnidler.Lab.Processes;

public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);
