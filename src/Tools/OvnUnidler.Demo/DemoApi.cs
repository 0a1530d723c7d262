using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.Demo;

/// <summary>The API double as the real-traffic demo, tests and benchmark need it: its controllers make Pods, the lab kubelet runs them.</summary>
internal static class DemoApi
{
    public static KubernetesApiDoubleOptions Options()
    {
        var options = new KubernetesApiDoubleOptions { SimulateKubelet = false, ReadyDelay = TimeSpan.Zero };
        // The demo runs from the repository root (.ci/demo); the Idler CRD is served as in a cluster.
        if (Directory.Exists("crds"))
        {
            options.CustomResourceDefinitions.Add(Path.GetFullPath("crds"));
        }

        return options;
    }
}
