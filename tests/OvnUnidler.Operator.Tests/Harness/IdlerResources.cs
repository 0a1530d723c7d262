using System.Text.Json;
using k8s;
using k8s.Models;
using OvnUnidler.Entities;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>Idler custom resources as a user creates and reads them through the API.</summary>
public static class IdlerResources
{
    /// <summary>An Idler named after <paramref name="service"/>, targeting it with <paramref name="state"/>.</summary>
    public static async Task CreateAsync(IKubernetes client, string ns, string service, IdlerDesiredState state)
    {
        ArgumentNullException.ThrowIfNull(client);
        var idler = new V1Alpha1Idler
        {
            Metadata = new V1ObjectMeta { Name = service, NamespaceProperty = ns },
            Spec = new V1Alpha1IdlerSpec { ServiceName = service, DesiredState = state },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            idler, V1Alpha1Idler.Group, V1Alpha1Idler.Version, ns, V1Alpha1Idler.Plural, cancellationToken: TestContext.Current.CancellationToken);
    }

    public static async Task<V1Alpha1Idler> ReadAsync(IKubernetes client, string ns, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        var element = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            V1Alpha1Idler.Group, V1Alpha1Idler.Version, ns, V1Alpha1Idler.Plural, name, cancellationToken: TestContext.Current.CancellationToken);
        return KubernetesJson.Deserialize<V1Alpha1Idler>(element.GetRawText());
    }
}
