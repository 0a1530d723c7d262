using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>The API double with its controllers making Pods and the lab kubelet, not the double, running them.</summary>
internal static class BenchmarkApi
{
    public static KubernetesApiDoubleOptions Options()
    {
        var options = new KubernetesApiDoubleOptions { SimulateKubelet = false, ReadyDelay = TimeSpan.Zero };
        options.CustomResourceDefinitions.Add(Path.Combine(Running.RepositoryRoot.Find(), "crds"));
        return options;
    }
}
