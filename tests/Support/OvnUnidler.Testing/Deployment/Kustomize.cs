using System.Diagnostics;

namespace OvnUnidler.Testing.Deployment;

/// <summary>`kubectl kustomize DIR`, the real tool, run as a process: the YAML stream it prints.</summary>
public static class Kustomize
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static string Build(string directory)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {directory} did not finish within {Deadline}");
        }

        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"kubectl kustomize {directory} exited {process.ExitCode}: {error.Result}");
    }
}
