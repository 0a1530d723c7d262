using OvnUnidler.KubernetesDouble;
using OvnUnidler.Manifests;

namespace OvnUnidler.Demo;

/// <summary>The API double as both demos need it: crds/ applied at start, as a cluster the operator is installed on has it.</summary>
internal static class DemoApi
{
    // The checkout crds/ and deploy/ are read from: above the demo's binaries (dotnet run), else
    // above the working directory (.ci/demo runs from the root).
    public static string? Checkout { get; } = RepositoryRoot.Above(AppContext.BaseDirectory) ?? RepositoryRoot.Above(Environment.CurrentDirectory);

    /// <summary>For the real-traffic demo: the controllers make Pods, the lab kubelet runs them.</summary>
    public static KubernetesApiDoubleOptions RealTraffic() => KubernetesApiDoubleOptions.ForOutsideKubelet(Crds);

    /// <summary>For the dummy-datapath demo: the simulated controllers make pods ready after <paramref name="readyDelay"/>.</summary>
    public static KubernetesApiDoubleOptions Simulated(TimeSpan readyDelay)
    {
        var options = new KubernetesApiDoubleOptions { ReadyDelay = readyDelay };
        options.CustomResourceDefinitions.Add(Crds);
        return options;
    }

    private static string Crds => Path.Combine(Checkout ?? throw new InvalidOperationException("no checkout of ovn-unidler to read crds/ from"), "crds");
}
