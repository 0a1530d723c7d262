using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class ScaleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scale_reports_the_parents_replicas_selector_and_resource_version()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, Ct);
        var client = api.CreateClient();
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 3), "shop", cancellationToken: Ct);

        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: Ct);

        Assert.Equal("autoscaling/v1", scale.ApiVersion);
        Assert.Equal("Scale", scale.Kind);
        Assert.Equal(3, scale.Spec.Replicas);
        Assert.Equal(0, scale.Status.Replicas);
        Assert.Equal("app=web", scale.Status.Selector);
        Assert.Equal(created.Metadata.ResourceVersion, scale.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, scale.Metadata.Uid);
    }

    [Fact]
    public async Task Writing_the_scale_writes_the_parents_replicas_and_resource_version()
    {
        // Without the simulated controllers: once the scale is written they write the parent's
        // status (ReadyDelay later, a new resourceVersion), and a read of the parent delayed as long
        // on a loaded machine saw their write instead of the scale's.
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 0), "shop", cancellationToken: Ct);
        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: Ct);

        scale.Spec.Replicas = 4;
        var written = await client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "shop", cancellationToken: Ct);
        var parent = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);

        Assert.Equal(4, written.Spec.Replicas);
        Assert.Equal(4, parent.Spec.Replicas);
        Assert.Equal(2, parent.Metadata.Generation);
        Assert.NotEqual(scale.Metadata.ResourceVersion, parent.Metadata.ResourceVersion);
        Assert.Equal(written.Metadata.ResourceVersion, parent.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Scale_with_a_stale_resource_version_is_409_Conflict()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 0), "shop", cancellationToken: Ct);
        var stale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: Ct);
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: Ct);

        stale.Spec.Replicas = 2;
        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.Conflict, "Conflict",
            () => client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(stale, "web", "shop", cancellationToken: Ct));

        Assert.Contains("deployments.apps \"web\"", status.GetProperty("message").GetString());
        Assert.Equal(0, (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct)).Spec.Replicas);
    }

    [Fact]
    public async Task Concurrent_scales_from_one_resource_version_let_exactly_one_win()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, Ct);
        await api.CreateClient().AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 0), "shop", cancellationToken: Ct);
        var seen = await api.CreateClient().AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: Ct);

        var attempts = Enumerable.Range(1, 8).Select(async replicas =>
        {
            var scale = new V1Scale { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", ResourceVersion = seen.Metadata.ResourceVersion }, Spec = new V1ScaleSpec { Replicas = replicas } };
            try
            {
                await api.CreateClient().AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "shop", cancellationToken: Ct);
                return HttpStatusCode.OK;
            }
            catch (k8s.Autorest.HttpOperationException failure)
            {
                return failure.Response.StatusCode;
            }
        });
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(code => code == HttpStatusCode.OK));
        Assert.Equal(7, outcomes.Count(code => code == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Merge_patch_of_the_scale_scales_the_parent()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedStatefulSetAsync(Models.StatefulSet("db", 0, "db"), "shop", cancellationToken: Ct);

        var scale = await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "db", "shop", cancellationToken: Ct);

        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal(2, (await client.AppsV1.ReadNamespacedStatefulSetAsync("db", "shop", cancellationToken: Ct)).Spec.Replicas);
    }

    [Fact]
    public async Task Negative_scale_is_422_Invalid()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedReplicationControllerAsync(Models.ReplicationController("web", 1, "web"), "shop", cancellationToken: Ct);

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.CoreV1.PatchNamespacedReplicationControllerScaleAsync(new V1Patch("""{"spec":{"replicas":-1}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: Ct));

        Assert.StartsWith("Scale.autoscaling \"web\" is invalid: spec.replicas", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Replication_controller_selector_defaults_to_its_template_labels_and_shows_in_the_scale()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedReplicationControllerAsync(Models.ReplicationController("web", 1, "web"), "shop", cancellationToken: Ct);

        var scale = await client.CoreV1.ReadNamespacedReplicationControllerScaleAsync("web", "shop", cancellationToken: Ct);

        Assert.Equal("app=web,tier=backend", scale.Status.Selector);
    }

    [Fact]
    public async Task Deployment_config_scale_subresource_works_over_plain_http()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var http = DoubleWithNamespaces.AdminHttp(api);
        var dc = new
        {
            apiVersion = "apps.openshift.io/v1",
            kind = "DeploymentConfig",
            metadata = new { name = "legacy" },
            spec = new { replicas = 0, selector = new { app = "legacy" }, template = new { metadata = new { labels = new { app = "legacy" } } } },
        };
        using var created = await http.PostAsJsonAsync("apis/apps.openshift.io/v1/namespaces/shop/deploymentconfigs", dc, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var patch = new HttpRequestMessage(HttpMethod.Patch, "apis/apps.openshift.io/v1/namespaces/shop/deploymentconfigs/legacy/scale")
        {
            Content = new StringContent("""{"spec":{"replicas":3}}""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        using var patched = await http.SendAsync(patch, Ct);
        var parent = JsonDocument.Parse(await http.GetStringAsync("apis/apps.openshift.io/v1/namespaces/shop/deploymentconfigs/legacy", Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(3, parent.GetProperty("spec").GetProperty("replicas").GetInt32());
    }
}
