using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class CustomResourceTests
{
    private const string Group = "unidler.ovn.org";
    private const string Version = "v1alpha1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_idler_with_an_invalid_field_is_refused_with_422_and_the_causes()
    {
        await using var api = await KubernetesApiDouble.StartAsync(Models.WithCrds(), Ct);
        var client = api.CreateClient();

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.CustomObjects.CreateNamespacedCustomObjectAsync(
                Idler("web", """{"serviceName":"web","desiredState":"Sleeping","targets":[{"kind":"Deployment","name":"web","replicas":0}]}"""),
                Group, Version, "default", "idlers", cancellationToken: Ct));

        Assert.Equal(
            "Idler.unidler.ovn.org \"web\" is invalid: [spec.desiredState: Unsupported value: \"Sleeping\": supported values: \"Active\", \"Idled\", spec.targets[0].replicas: Invalid value: 0: spec.targets[0].replicas in body should be greater than or equal to 1]",
            status.GetProperty("message").GetString());
        var causes = status.GetProperty("details").GetProperty("causes").EnumerateArray().Select(cause => (cause.GetProperty("reason").GetString(), cause.GetProperty("field").GetString())).ToList();
        Assert.Equal([("FieldValueNotSupported", "spec.desiredState"), ("FieldValueInvalid", "spec.targets[0].replicas")], causes);
        Assert.Equal("Idler", status.GetProperty("details").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_missing_required_field_and_a_wrong_type_are_refused()
    {
        await using var api = await KubernetesApiDouble.StartAsync(Models.WithCrds(), Ct);
        var client = api.CreateClient();

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.CustomObjects.CreateNamespacedCustomObjectAsync(Idler("web", """{"targets":"web"}"""), Group, Version, "default", "idlers", cancellationToken: Ct));

        Assert.Contains("spec.serviceName: Required value", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("spec.targets: Invalid value: \"string\": spec.targets in body must be of type array: \"string\"", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_and_non_nullable_nulls_dropped_on_create_and_update()
    {
        await using var api = await KubernetesApiDouble.StartAsync(Models.WithCrds(), Ct);
        var client = api.CreateClient();

        var created = Json(await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Idler("web", """{"serviceName":"web","surprise":1,"targets":[{"kind":"Deployment","name":"web","group":null,"extra":"x"}]}""", metadataExtra: true),
            Group, Version, "default", "idlers", cancellationToken: Ct));
        var spec = created.GetProperty("spec");
        created.GetProperty("metadata").TryGetProperty("unknownMetadata", out var unknownMetadata);

        Assert.False(spec.TryGetProperty("surprise", out _));
        Assert.False(spec.GetProperty("targets")[0].TryGetProperty("extra", out _));
        Assert.Equal(JsonValueKind.Null, spec.GetProperty("targets")[0].GetProperty("group").ValueKind);
        Assert.Equal(JsonValueKind.Undefined, unknownMetadata.ValueKind);

        var patched = Json(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"another":true,"desiredState":"Idled"}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", "idlers", "web", cancellationToken: Ct));
        Assert.False(patched.GetProperty("spec").TryGetProperty("another", out _));
        Assert.Equal("Idled", patched.GetProperty("spec").GetProperty("desiredState").GetString());
    }

    [Fact]
    public async Task The_status_subresource_validates_and_prunes_only_the_status_and_the_main_resource_ignores_it()
    {
        await using var api = await KubernetesApiDouble.StartAsync(Models.WithCrds(), Ct);
        var client = api.CreateClient();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Idler("web", """{"serviceName":"web"}"""), Group, Version, "default", "idlers", cancellationToken: Ct);

        var invalid = await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                new V1Patch("""{"status":{"wakeCount":-1,"lastWakeTime":"not-a-time"}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", "idlers", "web", cancellationToken: Ct));
        var written = Json(await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"spec":{"serviceName":"other"},"status":{"phase":"Idled","wakeCount":2,"bogus":"x"}}""", V1Patch.PatchType.MergePatch),
            Group, Version, "default", "idlers", "web", cancellationToken: Ct));
        var throughMain = Json(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"status":{"phase":"Waking"}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", "idlers", "web", cancellationToken: Ct));

        Assert.Contains("status.wakeCount: Invalid value: -1: status.wakeCount in body should be greater than or equal to 0", invalid.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("status.lastWakeTime: Invalid value: \"not-a-time\": status.lastWakeTime in body must be of type date-time: \"not-a-time\"", invalid.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("web", written.GetProperty("spec").GetProperty("serviceName").GetString());
        Assert.Equal(2, written.GetProperty("status").GetProperty("wakeCount").GetInt64());
        Assert.False(written.GetProperty("status").TryGetProperty("bogus", out _));
        Assert.Equal("Idled", throughMain.GetProperty("status").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task A_crd_created_through_the_api_is_served_with_its_scale_subresource_and_deleting_it_deletes_its_resources()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.NotFound, "NotFound",
            () => client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", cancellationToken: Ct));

        var crd = await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(WidgetCrd), cancellationToken: Ct);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonDocument.Parse("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"replicas":2,"selector":"app=w"}}""").RootElement,
            "example.com", "v1", "default", "widgets", cancellationToken: Ct);
        var widgetScale = await ReadScaleAsync(api, "widgets", "w");
        await PutScaleAsync(api, "widgets", "w", 5);
        var widget = Json(await client.CustomObjects.GetNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", "w", cancellationToken: Ct));
        var resources = await client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", cancellationToken: Ct);

        Assert.Contains(crd.Status.Conditions, condition => condition.Type == "Established" && condition.Status == "True");
        Assert.Equal("Widget", crd.Status.AcceptedNames.Kind);
        Assert.Equal(2, widgetScale.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal("app=w", widgetScale.GetProperty("status").GetProperty("selector").GetString());
        Assert.Equal(0, widgetScale.GetProperty("status").GetProperty("replicas").GetInt32());
        Assert.Equal(5, widget.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal(2, widget.GetProperty("metadata").GetProperty("generation").GetInt64());
        Assert.Single(Json(resources).GetProperty("items").EnumerateArray());

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.example.com", cancellationToken: Ct);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.NotFound, "NotFound",
            () => client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", cancellationToken: Ct));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(WidgetCrd), cancellationToken: Ct);
        Assert.Empty(Json(await client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", cancellationToken: Ct)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_crd_without_a_schema_or_with_a_mismatched_name_is_refused()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(WidgetCrd);
        crd.Metadata.Name = "gadgets.example.com";
        crd.Spec.Versions[0].Schema = null;

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: Ct));

        Assert.Contains("metadata.name: Invalid value: \"gadgets.example.com\": must be spec.names.plural+\".\"+spec.group", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    internal const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets, shortNames: [wd], categories: [all, gadgets]}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
              scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .spec.selector}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      replicas: {type: integer, minimum: 0, maximum: 10}
                      selector: {type: string}
                      free: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status:
                    type: object
                    properties:
                      replicas: {type: integer}
        """;

    private static async Task<JsonElement> ReadScaleAsync(KubernetesApiDouble api, string plural, string name)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", api.AdminToken) } };
        return JsonDocument.Parse(await http.GetStringAsync($"apis/example.com/v1/namespaces/default/{plural}/{name}/scale", Ct)).RootElement;
    }

    private static async Task PutScaleAsync(KubernetesApiDouble api, string plural, string name, int replicas)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", api.AdminToken) } };
        using var body = new StringContent($$$"""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"replicas":{{{replicas}}}}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PutAsync($"apis/example.com/v1/namespaces/default/{plural}/{name}/scale", body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static JsonElement Idler(string name, string specJson, bool metadataExtra = false)
    {
        var extra = metadataExtra ? ",\"unknownMetadata\":1" : "";
        return JsonDocument.Parse("{\"apiVersion\":\"unidler.ovn.org/v1alpha1\",\"kind\":\"Idler\",\"metadata\":{\"name\":\"" + name + "\"" + extra + "},\"spec\":" + specJson + "}").RootElement;
    }

    private static JsonElement Json(object response) => response is JsonElement element ? element : JsonSerializer.SerializeToElement(response);
}
