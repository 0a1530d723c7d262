using System.Net;
using k8s;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class ListenAddressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_kubeconfig_for_a_further_listen_address_reaches_the_same_api_there()
    {
        // 127.0.0.0/8 is all on lo: another address than the default 127.0.0.1, as the lab's host link is.
        var further = IPAddress.Parse("127.0.0.2");
        var options = new KubernetesApiDoubleOptions { EnableControllerManager = false };
        options.ListenAddresses.Add(further);
        await using var api = await KubernetesApiDouble.StartAsync(options, Ct);
        var path = Path.Combine(Path.GetTempPath(), $"double-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(path, api.KubeconfigFor(api.AdminToken, api.ServerOn(further)), Ct);
            var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

            var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: Ct);

            Assert.Equal("127.0.0.2", api.ServerOn(further).Host);
            Assert.Equal("127.0.0.1", api.BaseAddress.Host);
            Assert.Contains(namespaces.Items, item => item.Metadata.Name == "default");
            Assert.Throws<InvalidOperationException>(() => api.ServerOn(IPAddress.Parse("127.0.0.3")));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
