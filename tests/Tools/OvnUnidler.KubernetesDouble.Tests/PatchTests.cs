using System.Net;
using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class PatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Merge_patch_sets_merges_and_removes_fields()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var service = Models.Service("web");
        service.Metadata.Annotations = new Dictionary<string, string> { ["idling.alpha.openshift.io/idled-at"] = "2024-01-01T00:00:00Z", ["keep"] = "yes" };
        var created = await client.CoreV1.CreateNamespacedServiceAsync(service, "shop", cancellationToken: Ct);

        var patch = """{"metadata":{"annotations":{"idling.alpha.openshift.io/idled-at":null,"k8s.ovn.org/unidled-at":"2024-01-02T00:00:00Z"}}}""";
        var patched = await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: Ct);

        Assert.False(patched.Metadata.Annotations.ContainsKey("idling.alpha.openshift.io/idled-at"));
        Assert.Equal("yes", patched.Metadata.Annotations["keep"]);
        Assert.Equal("2024-01-02T00:00:00Z", patched.Metadata.Annotations["k8s.ovn.org/unidled-at"]);
        Assert.NotEqual(created.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Merge_patch_with_a_stale_resource_version_is_409()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: Ct);

        var stale = $$$"""{"metadata":{"resourceVersion":"{{{created.Metadata.ResourceVersion}}}"},"spec":{"replicas":3}}""";

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Conflict, "Conflict",
            () => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(stale, V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: Ct));
    }

    [Fact]
    public async Task Json_patch_applies_its_operations_in_order()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 0), "shop", cancellationToken: Ct);

        var patch = """
            [{"op":"test","path":"/spec/replicas","value":0},
             {"op":"replace","path":"/spec/replicas","value":3},
             {"op":"add","path":"/metadata/annotations","value":{"a/b":"1"}},
             {"op":"copy","from":"/metadata/annotations/a~1b","path":"/metadata/annotations/c"},
             {"op":"remove","path":"/metadata/annotations/a~1b"}]
            """;
        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch), "web", "shop", cancellationToken: Ct);

        Assert.Equal(3, patched.Spec.Replicas);
        Assert.Equal(new Dictionary<string, string> { ["c"] = "1" }, patched.Metadata.Annotations);
    }

    [Fact]
    public async Task Json_patch_whose_test_fails_is_422_and_changes_nothing()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 2), "shop", cancellationToken: Ct);

        var patch = """[{"op":"replace","path":"/spec/replicas","value":5},{"op":"test","path":"/spec/replicas","value":0}]""";
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch), "web", "shop", cancellationToken: Ct));

        var after = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);
        Assert.Equal(2, after.Spec.Replicas);
        Assert.Equal(created.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Json_patch_testing_the_resource_version_guards_the_write()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        var guard = $$$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{{created.Metadata.ResourceVersion}}}"},{"op":"add","path":"/metadata/labels","value":{"x":"y"}}]""";

        var first = await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(guard, V1Patch.PatchType.JsonPatch), "web", "shop", cancellationToken: Ct);

        Assert.Equal("y", first.Metadata.Labels["x"]);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(guard, V1Patch.PatchType.JsonPatch), "web", "shop", cancellationToken: Ct));
    }

    [Fact]
    public async Task Malformed_json_patch_is_400()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.BadRequest, "BadRequest",
            () => client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""{"op":"add"}""", V1Patch.PatchType.JsonPatch), "web", "shop", cancellationToken: Ct));
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var deployment = Models.Deployment("web", 1);
        deployment.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "registry.example/sidecar:1" });
        await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "shop", cancellationToken: Ct);

        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.example/app:2"}]}}}}""";
        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "web", "shop", cancellationToken: Ct);

        Assert.Equal(["app:registry.example/app:2", "sidecar:registry.example/sidecar:1"],
            patched.Spec.Template.Spec.Containers.Select(c => $"{c.Name}:{c.Image}").ToArray());
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Apply_patch_is_415()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
            () => client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""{"apiVersion":"v1","kind":"Service"}""", V1Patch.PatchType.ApplyPatch), "web", "shop", fieldManager: "test", cancellationToken: Ct));
    }

    [Fact]
    public async Task Strategic_merge_patch_of_a_custom_resource_is_415_and_merge_patch_of_its_status_works()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Models.WithCrds(), Ct);
        var client = api.CreateClient();
        var idler = new Dictionary<string, object>
        {
            ["apiVersion"] = "unidler.ovn.org/v1alpha1",
            ["kind"] = "Idler",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "web" },
            ["spec"] = new Dictionary<string, object> { ["serviceName"] = "web" },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(idler, "unidler.ovn.org", "v1alpha1", "shop", "idlers", cancellationToken: Ct);

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
            () => client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"desiredState":"Idled"}}""", V1Patch.PatchType.StrategicMergePatch),
                "unidler.ovn.org", "v1alpha1", "shop", "idlers", "web", cancellationToken: Ct));
        var patched = (System.Text.Json.JsonElement)await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"spec":{"serviceName":"changed"},"status":{"phase":"Idled"}}""", V1Patch.PatchType.MergePatch),
            "unidler.ovn.org", "v1alpha1", "shop", "idlers", "web", cancellationToken: Ct);

        Assert.Equal("Idled", patched.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal("web", patched.GetProperty("spec").GetProperty("serviceName").GetString());
        Assert.Equal(1, patched.GetProperty("metadata").GetProperty("generation").GetInt64());
    }
}
