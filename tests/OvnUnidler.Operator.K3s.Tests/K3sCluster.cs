using k8s;
using k8s.Models;
using OvnUnidler.EndToEnd.Tests.Scenarios;
using Testcontainers.K3s;

namespace OvnUnidler.Operator.K3s.Tests;

/// <summary>
/// A real k3s API server in a container (Testcontainers.K3s), shared by the suite. Where no Docker
/// engine answers, it starts nothing and every test skips itself with <see cref="DockerEngine.WhyUnavailable"/>.
/// </summary>
public sealed class K3sCluster : IAsyncLifetime, IClusterUnderTest
{
    public const string Image = "rancher/k3s:v1.31.4-k3s1";

    public string? WhyUnavailable => DockerEngine.WhyUnavailable;

    // Pods only need to run and be ready; pause has no ports and no probes.
    public string PodImage => "registry.k8s.io/pause:3.10";

    public TimeSpan Patience => TimeSpan.FromMinutes(2);

    public IKubernetes CreateClient(OperatorRequestCounter? counter = null)
    {
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath);
        return counter is null ? new Kubernetes(configuration) : new Kubernetes(configuration, counter);
    }

    private K3sContainer? container;

    public IKubernetes Client => client ?? throw new InvalidOperationException(DockerEngine.WhyUnavailable ?? "k3s is not started");

    public string KubeconfigPath { get; private set; } = string.Empty;

    private IKubernetes? client;

    public async ValueTask InitializeAsync()
    {
        if (DockerEngine.WhyUnavailable is not null)
        {
            return;
        }

        container = new K3sBuilder(Image).Build();
        await container.StartAsync();
        KubeconfigPath = Path.Combine(Path.GetTempPath(), $"k3s-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(KubeconfigPath, await container.GetKubeconfigAsync());
        client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        // crds/ also holds its kustomization.yaml: only CustomResourceDefinitions are applied.
        foreach (var crd in Directory.GetFiles(Repository.Combine("crds"), "*.yaml").Where(file => Path.GetFileName(file) != "kustomization.yaml"))
        {
            var definition = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(crd));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(definition);
        }
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (container is not null)
        {
            await container.DisposeAsync();
        }

        if (KubeconfigPath.Length > 0)
        {
            File.Delete(KubeconfigPath);
        }
    }
}
