using System.Diagnostics;

namespace OvnUnidler.Manifests;

/// <summary>
/// `kubectl kustomize DIR`, the render `kubectl apply -k DIR` sends: the real kustomize inside
/// kubectl (v5.5 in kubectl 1.32) judges the manifests, never a model of it.
/// </summary>
public static class Kustomize
{
    // A render takes well under a second; this only bounds a kubectl that hangs.
    private static readonly TimeSpan RenderDeadline = TimeSpan.FromMinutes(2);

    /// <summary>The kubectl the render runs: the first executable `kubectl` on PATH, or null.</summary>
    public static string? FindKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "kubectl"))
            .FirstOrDefault(IsExecutable);

    /// <summary>
    /// The YAML stream kustomize prints for a kustomization directory. Throws
    /// KubectlMissingException without kubectl, and InvalidOperationException with kustomize's
    /// message when the render fails.
    /// </summary>
    public static string Build(string directory)
    {
        var kubectl = FindKubectl() ?? throw new KubectlMissingException(
            $"kubectl is not on PATH: rendering {directory} needs `kubectl kustomize` (kubectl 1.27 or later, whose kustomize is v5); install kubectl");
        var start = new ProcessStartInfo(kubectl)
        {
            ArgumentList = { "kustomize", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{kubectl} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RenderDeadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{kubectl} kustomize {directory} did not finish within {RenderDeadline}");
        }

        // The timed wait can return before the redirected streams are drained; this one cannot.
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.GetAwaiter().GetResult()
            : throw new InvalidOperationException($"{kubectl} kustomize {directory} exited with {process.ExitCode}: {error.GetAwaiter().GetResult().Trim()}");
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
