using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>The API double with its controllers making Pods and the lab kubelet, not the double, running them.</summary>
internal static class RealTrafficApi
{
    public static KubernetesApiDoubleOptions Options()
    {
        var options = new KubernetesApiDoubleOptions { SimulateKubelet = false, ReadyDelay = TimeSpan.Zero };
        options.CustomResourceDefinitions.Add(Repository.Combine("crds"));
        return options;
    }
}
