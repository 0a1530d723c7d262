using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class CustomResourceServingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_custom_resource_is_an_unknown_resource_until_its_definition_is_created_then_listed_and_discovered()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var definition = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(Repository.Combine("crds", "idlers.unidler.ovn.org.yaml")));
        var idler = (definition.Spec.Group, Version: definition.Spec.Versions[0].Name, definition.Spec.Names.Plural, definition.Spec.Names.Kind);

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.NotFound, "NotFound",
            () => client.CustomObjects.ListCustomObjectForAllNamespacesAsync<JsonElement>(idler.Group, idler.Version, idler.Plural, cancellationToken: Ct));
        Assert.Equal("the server could not find the requested resource", status.GetProperty("message").GetString());
        using var http = new HttpClient { BaseAddress = api.BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", api.AdminToken) } };
        using (var discovery = await http.GetAsync($"apis/{idler.Group}/{idler.Version}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, discovery.StatusCode);
        }

        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(definition, cancellationToken: Ct);

        var list = await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<JsonElement>(idler.Group, idler.Version, idler.Plural, cancellationToken: Ct);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        var resources = JsonDocument.Parse(await http.GetStringAsync($"apis/{idler.Group}/{idler.Version}", Ct)).RootElement.GetProperty("resources");
        Assert.Contains(resources.EnumerateArray(), resource => resource.GetProperty("name").GetString() == idler.Plural && resource.GetProperty("kind").GetString() == idler.Kind);
    }
}
