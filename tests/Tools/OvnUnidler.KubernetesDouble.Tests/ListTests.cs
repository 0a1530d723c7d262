using System.Net;
using k8s;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class ListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("tier=web", "a,b")]
    [InlineData("tier==web", "a,b")]
    [InlineData("tier!=web", "c,d")]
    [InlineData("tier in (db,cache)", "c")]
    [InlineData("tier notin (web)", "c,d")]
    [InlineData("tier", "a,b,c")]
    [InlineData("!tier", "d")]
    [InlineData("tier=web,canary", "b")]
    public async Task Label_selector_filters_the_list(string selector, string expected)
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("a", new Dictionary<string, string> { ["tier"] = "web" }), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("b", new Dictionary<string, string> { ["tier"] = "web", ["canary"] = "" }), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("c", new Dictionary<string, string> { ["tier"] = "db" }), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("d"), "shop", cancellationToken: Ct);

        var list = await client.CoreV1.ListNamespacedConfigMapAsync("shop", labelSelector: selector, cancellationToken: Ct);

        Assert.Equal(expected, string.Join(",", list.Items.Select(item => item.Metadata.Name)));
    }

    [Fact]
    public async Task List_carries_the_current_resource_version_and_its_kind()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("a"), "shop", cancellationToken: Ct);

        var list = await client.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: Ct);

        Assert.Equal("ConfigMapList", list.Kind);
        Assert.Equal(created.Metadata.ResourceVersion, list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Field_selector_on_name_filters_and_an_unsupported_field_is_400()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("a"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("b"), "shop", cancellationToken: Ct);

        var byName = await client.CoreV1.ListNamespacedConfigMapAsync("shop", fieldSelector: "metadata.name=b", cancellationToken: Ct);
        var notName = await client.CoreV1.ListNamespacedConfigMapAsync("shop", fieldSelector: "metadata.name!=b", cancellationToken: Ct);

        Assert.Equal("b", Assert.Single(byName.Items).Metadata.Name);
        Assert.Equal("a", Assert.Single(notName.Items).Metadata.Name);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.BadRequest, "BadRequest",
            () => client.CoreV1.ListNamespacedConfigMapAsync("shop", fieldSelector: "data.key=value", cancellationToken: Ct));
    }

    [Fact]
    public async Task Listing_without_a_namespace_covers_all_namespaces()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "blog", cancellationToken: Ct);

        var all = await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: Ct);

        Assert.Equal(["blog", "shop"], all.Items.Select(item => item.Metadata.NamespaceProperty).ToArray());
    }

    [Fact]
    public async Task Pages_come_from_one_snapshot_until_the_history_no_longer_reaches_it()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap(name), "shop", cancellationToken: Ct);
        }

        var first = await client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 2, cancellationToken: Ct);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("d", "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("bb"), "shop", cancellationToken: Ct);
        var second = await client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: Ct);
        var third = await client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 2, continueParameter: second.Metadata.ContinueProperty, cancellationToken: Ct);
        api.Faults.ExpireWatchHistory();

        Assert.Equal(["a", "b"], first.Items.Select(item => item.Metadata.Name).ToArray());
        Assert.Equal(3, first.Metadata.RemainingItemCount);
        Assert.Equal(["c", "d"], second.Items.Select(item => item.Metadata.Name).ToArray());
        Assert.Equal(["e"], third.Items.Select(item => item.Metadata.Name).ToArray());
        Assert.Null(third.Metadata.ContinueProperty);
        Assert.Equal(first.Metadata.ResourceVersion, third.Metadata.ResourceVersion);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Gone, "Expired",
            () => client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: Ct));
    }

    [Fact]
    public async Task Discovery_names_the_served_resources()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(Models.WithCrds(), Ct);
        var client = api.CreateClient();

        var groups = await client.Apis.GetAPIVersionsAsync(cancellationToken: Ct);
        var apps = await client.AppsV1.GetAPIResourcesAsync(cancellationToken: Ct);

        Assert.Contains(groups.Groups, group => group.Name == "unidler.ovn.org");
        Assert.Contains(apps.Resources, resource => resource.Name == "deployments/scale" && resource.Kind == "Scale");
    }
}
