using System.Diagnostics;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>
/// `kubectl kustomize DIR`, the render `kubectl apply -k DIR` sends: the real kustomize (v5.5 in
/// kubectl 1.32) judges the manifests, not a model of it. Without kubectl the tests that need a
/// render skip with the reason, unless CI is set: there a missing kubectl fails them.
/// </summary>
public static class KubectlKustomize
{
    public const string Kubectl = "/usr/bin/kubectl";

    // A render takes well under a second; this only bounds a kubectl that hangs.
    private static readonly TimeSpan RenderDeadline = TimeSpan.FromMinutes(2);

    /// <summary>Renders a directory of the repository ("deploy/central") and parses every document.</summary>
    public static BuiltManifests Render(string variant) =>
        BuiltManifests.Parse(variant, Run(Repository.Combine(variant.Split('/'))));

    /// <summary>The rendered YAML of any kustomization directory; throws with kustomize's message when it fails.</summary>
    public static string Run(string directory)
    {
        RequireKubectl(Kubectl, Environment.GetEnvironmentVariable("CI") is not null);
        var start = new ProcessStartInfo(Kubectl)
        {
            ArgumentList = { "kustomize", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Kubectl} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RenderDeadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Kubectl} kustomize {directory} did not finish within {RenderDeadline}");
        }

        process.WaitForExit();
        return process.ExitCode == 0
            ? output.GetAwaiter().GetResult()
            : throw new InvalidOperationException($"{Kubectl} kustomize {Repository.Relative(directory)} exited with {process.ExitCode}: {error.GetAwaiter().GetResult().Trim()}");
    }

    /// <summary>Skips the calling test when kubectl is missing, or fails it when <paramref name="ci"/> says it must be there.</summary>
    public static void RequireKubectl(string kubectl, bool ci)
    {
        if (File.Exists(kubectl))
        {
            return;
        }

        var reason = $"{kubectl} is missing: these tests render deploy/ and crds/ with `kubectl kustomize`";
        if (ci)
        {
            throw new InvalidOperationException($"{reason}, and CI is set, where kubectl must be installed");
        }

        Assert.Skip($"{reason}; install kubectl to run them (with CI set they fail instead)");
    }
}
