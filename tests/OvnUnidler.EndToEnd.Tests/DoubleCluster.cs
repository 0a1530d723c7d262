using k8s;
using OvnUnidler.EndToEnd.Tests.Scenarios;
using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.EndToEnd.Tests;

/// <summary>The in-process Kubernetes API double as the cluster under test, one per scenario.</summary>
public sealed class DoubleCluster : IClusterUnderTest, IAsyncDisposable
{
    private readonly KubernetesApiDouble api;

    private DoubleCluster(KubernetesApiDouble api, string kubeconfigPath)
    {
        this.api = api;
        KubeconfigPath = kubeconfigPath;
    }

    public string? WhyUnavailable => null;

    public string KubeconfigPath { get; }

    public string PodImage => "registry.example/app:1";

    public TimeSpan Patience => TimeSpan.FromSeconds(30);

    public static async Task<DoubleCluster> StartAsync()
    {
        var options = new KubernetesApiDoubleOptions { ReadyDelay = TimeSpan.FromMilliseconds(500) };
        options.CustomResourceDefinitions.Add(Repository.Combine("crds"));
        var api = await KubernetesApiDouble.StartAsync(options, TestContext.Current.CancellationToken);
        var path = Path.Combine(Path.GetTempPath(), $"e2e-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, api.Kubeconfig, TestContext.Current.CancellationToken);
        return new DoubleCluster(api, path);
    }

    public IKubernetes CreateClient(OperatorRequestCounter? counter = null) =>
        counter is null ? new Kubernetes(api.ClientConfiguration) : new Kubernetes(api.ClientConfiguration, counter);

    public async ValueTask DisposeAsync()
    {
        await api.DisposeAsync();
        File.Delete(KubeconfigPath);
    }
}
