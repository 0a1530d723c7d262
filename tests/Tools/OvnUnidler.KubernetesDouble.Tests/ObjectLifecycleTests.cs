using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class ObjectLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_sets_server_owned_fields_and_get_returns_the_object()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();

        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 2), "shop", cancellationToken: Ct);
        var read = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal("shop", created.Metadata.NamespaceProperty);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(2, read.Spec.Replicas);
    }

    [Fact]
    public async Task Every_write_gets_a_higher_resource_version_from_one_counter()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();

        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("a"), "default", cancellationToken: Ct);
        var second = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("b", 1), "other", cancellationToken: Ct);
        first.Data["key"] = "changed";
        var third = await client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "a", "default", cancellationToken: Ct);

        Assert.True(long.Parse(first.Metadata.ResourceVersion) < long.Parse(second.Metadata.ResourceVersion));
        Assert.True(long.Parse(second.Metadata.ResourceVersion) < long.Parse(third.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_404_with_a_NotFound_status()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.NotFound, "NotFound",
            () => client.AppsV1.ReadNamespacedDeploymentAsync("nope", "shop", cancellationToken: Ct));

        Assert.Equal("deployments.apps \"nope\" not found", status.GetProperty("message").GetString());
        var details = status.GetProperty("details");
        Assert.Equal("nope", details.GetProperty("name").GetString());
        Assert.Equal("apps", details.GetProperty("group").GetString());
        Assert.Equal("deployments", details.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Create_of_an_existing_name_is_409_AlreadyExists()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.Conflict, "AlreadyExists",
            () => client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct));

        Assert.Equal("services \"web\" already exists", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_409_Conflict()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var original = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        var winner = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);
        winner.Spec.Replicas = 3;
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(winner, "web", "shop", cancellationToken: Ct);

        original.Spec.Replicas = 5;
        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.Conflict, "Conflict",
            () => client.AppsV1.ReplaceNamespacedDeploymentAsync(original, "web", "shop", cancellationToken: Ct));

        Assert.Contains("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified", status.GetProperty("message").GetString());
        Assert.Equal(3, (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct)).Spec.Replicas);
    }

    [Fact]
    public async Task Update_without_resource_version_is_unconditional_for_built_in_types()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("settings"), "default", cancellationToken: Ct);

        var replacement = Models.ConfigMap("settings");
        replacement.Data["key"] = "new";
        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(replacement, "settings", "default", cancellationToken: Ct);

        Assert.Equal("new", updated.Data["key"]);
    }

    [Fact]
    public async Task Update_of_a_custom_resource_without_resource_version_is_422()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Models.WithCrds(), Ct);
        var client = api.CreateClient();
        var idler = new Dictionary<string, object>
        {
            ["apiVersion"] = "unidler.ovn.org/v1alpha1",
            ["kind"] = "Idler",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "web" },
            ["spec"] = new Dictionary<string, object> { ["serviceName"] = "web", ["desiredState"] = "Active" },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(idler, "unidler.ovn.org", "v1alpha1", "shop", "idlers", cancellationToken: Ct);

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.CustomObjects.ReplaceNamespacedCustomObjectAsync(idler, "unidler.ovn.org", "v1alpha1", "shop", "idlers", "web", cancellationToken: Ct));
    }

    [Fact]
    public async Task Update_that_changes_nothing_keeps_the_resource_version()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);

        var same = await client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "shop", cancellationToken: Ct);

        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Main_resource_writes_ignore_status_and_status_writes_ignore_spec()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, Ct);
        var client = api.CreateClient();
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);

        created.Status = new V1DeploymentStatus { Replicas = 9 };
        var afterMain = await client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "shop", cancellationToken: Ct);
        var statusAfterMain = afterMain.Status?.Replicas;
        afterMain.Status = new V1DeploymentStatus { Replicas = 1, ReadyReplicas = 1 };
        afterMain.Spec.Replicas = 7;
        var afterStatus = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(afterMain, "web", "shop", cancellationToken: Ct);

        Assert.Null(statusAfterMain);
        Assert.Equal(1, afterStatus.Status.ReadyReplicas);
        Assert.Equal(1, afterStatus.Spec.Replicas);
        Assert.Equal(1, afterStatus.Metadata.Generation);
    }

    [Fact]
    public async Task Generation_counts_spec_changes_but_not_metadata_changes()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);

        deployment.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "x" };
        deployment = await client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", "shop", cancellationToken: Ct);
        var afterMetadata = deployment.Metadata.Generation;
        deployment.Spec.Replicas = 4;
        deployment = await client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", "shop", cancellationToken: Ct);

        Assert.Equal(1, afterMetadata);
        Assert.Equal(2, deployment.Metadata.Generation);
    }

    [Fact]
    public async Task GenerateName_gives_each_object_a_unique_name_with_the_prefix()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var template = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "lock-" } };

        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(template, "default", cancellationToken: Ct);
        var second = await client.CoreV1.CreateNamespacedConfigMapAsync(template, "default", cancellationToken: Ct);

        Assert.StartsWith("lock-", first.Metadata.Name);
        Assert.Equal("lock-".Length + 5, first.Metadata.Name.Length);
        Assert.NotEqual(first.Metadata.Name, second.Metadata.Name);
    }

    [Fact]
    public async Task Negative_replicas_are_422_Invalid_with_the_field_named()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", -1), "shop", cancellationToken: Ct));

        Assert.Equal("Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0", status.GetProperty("message").GetString());
        Assert.Equal("spec.replicas", status.GetProperty("details").GetProperty("causes")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Deployment_whose_selector_does_not_match_its_template_is_422()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var deployment = Models.Deployment("web", 1);
        deployment.Spec.Selector.MatchLabels["app"] = "other";

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "shop", cancellationToken: Ct));
    }

    [Fact]
    public async Task Delete_answers_per_resource_and_the_object_is_gone()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);

        var status = await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);
        var service = await client.CoreV1.DeleteNamespacedServiceAsync("web", "shop", cancellationToken: Ct);

        Assert.Equal("Success", status.Status);
        Assert.Equal("web", service.Metadata.Name);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.NotFound, "NotFound",
            () => client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct));
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.NotFound, "NotFound",
            () => client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct));
    }

    [Fact]
    public async Task Delete_with_a_stale_resource_version_precondition_is_409()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("a"), "default", cancellationToken: Ct);
        created.Data["key"] = "changed";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default", cancellationToken: Ct);

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Conflict, "Conflict",
            () => client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default",
                new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = created.Metadata.ResourceVersion } }, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_subresource_the_resource_does_not_have_is_404()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var http = DoubleWithNamespaces.AdminHttp(api);
        await api.CreateClient().CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("a"), "shop", cancellationToken: Ct);

        using var status = await http.GetAsync("api/v1/namespaces/shop/configmaps/a/status", Ct);
        using var scale = await http.GetAsync("api/v1/namespaces/shop/configmaps/a/scale", Ct);

        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, scale.StatusCode);
    }

    [Fact]
    public async Task Unknown_resource_is_404()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var http = DoubleWithNamespaces.AdminHttp(api);

        using var response = await http.GetAsync("apis/apps/v1/namespaces/shop/widgets", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("NotFound", status.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Services_get_a_cluster_ip_and_a_taken_one_is_422()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();

        var allocated = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("a"), "shop", cancellationToken: Ct);
        var chosen = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("b", clusterIp: "192.168.1.100"), "shop", cancellationToken: Ct);

        Assert.StartsWith("10.96.", allocated.Spec.ClusterIP);
        Assert.Equal(["IPv4"], allocated.Spec.IpFamilies);
        Assert.Equal("192.168.1.100", chosen.Spec.ClusterIP);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.CoreV1.CreateNamespacedServiceAsync(Models.Service("c", clusterIp: "192.168.1.100"), "shop", cancellationToken: Ct));
    }

    [Fact]
    public async Task Namespaces_exist_from_the_start_and_deleting_one_deletes_its_objects()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } }, cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("a"), "shop", cancellationToken: Ct);

        var defaultNamespace = await client.CoreV1.ReadNamespaceAsync("default", cancellationToken: Ct);
        await client.CoreV1.DeleteNamespaceAsync("shop", cancellationToken: Ct);

        Assert.Equal("Active", defaultNamespace.Status.Phase);
        Assert.Empty((await client.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: Ct)).Items);
    }
}
