using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.Demo;

/// <summary>The API double as the real-traffic demo, tests and benchmark need it: its controllers make Pods, the lab kubelet runs them.</summary>
internal static class DemoApi
{
    public static KubernetesApiDoubleOptions Options() => new() { SimulateKubelet = false, ReadyDelay = TimeSpan.Zero };
}
