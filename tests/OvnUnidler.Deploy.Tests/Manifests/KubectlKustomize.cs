using OvnUnidler.Manifests;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>
/// The render `kubectl apply -k DIR` sends, by the real kustomize (OvnUnidler.Manifests.Kustomize).
/// Without kubectl the tests that need a render skip with the reason, unless CI is set: there a
/// missing kubectl fails them.
/// </summary>
public static class KubectlKustomize
{
    /// <summary>Renders a directory of the repository ("deploy/central") and parses every document.</summary>
    public static BuiltManifests Render(string variant) =>
        BuiltManifests.Parse(variant, Run(Repository.Combine(variant.Split('/'))));

    /// <summary>The rendered YAML of any kustomization directory; throws with kustomize's message when it fails.</summary>
    public static string Run(string directory)
    {
        RequireKubectl(Kustomize.FindKubectl() ?? "kubectl", Environment.GetEnvironmentVariable("CI") is not null);
        return Kustomize.Build(directory);
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
