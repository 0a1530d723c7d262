using k8s;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Operator.Hosting;

public static class KubernetesClientFactory
{
    /// <summary>A kubeconfig when one is configured or found, else the pod's service account.</summary>
    public static IKubernetes Create(KubernetesOptions options)
    {
        KubernetesClientConfiguration configuration;
        if (options.Kubeconfig is { Length: > 0 } path)
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, options.Context);
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            configuration = KubernetesClientConfiguration.InClusterConfig();
        }
        else
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: options.Context);
        }

        configuration.HttpClientTimeout = options.RequestTimeout;
        return new Kubernetes(configuration);
    }
}
