using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class JournalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_journal_names_each_requests_verb_resource_and_subresource()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 0), "shop", cancellationToken: Ct);
        await client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);
        await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: Ct);
        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: Ct);
        scale.Spec.Replicas = 2;
        await client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "shop", cancellationToken: Ct);
        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);

        var requests = api.Requests.Snapshot();

        Assert.Equal(["create", "get", "list", "get", "update", "delete"], requests.Select(r => r.Verb).ToArray());
        Assert.All(requests, r => Assert.Equal(("apps", "v1", "deployments"), (r.Group, r.Version, r.Resource)));
        Assert.Null(requests[2].Namespace);
        Assert.Equal(1, api.Requests.Count(verb: "update", resource: "deployments", subresource: "scale"));
        Assert.Equal(0, api.Requests.Count(verb: "update", resource: "deployments", subresource: ""));
        Assert.Equal(2, api.Requests.Count(resource: "deployments", subresource: "scale"));
        Assert.Equal(201, requests[0].StatusCode);
        Assert.Contains("\"replicas\":2", requests[4].Body);
    }

    [Fact]
    public async Task WaitForAsync_returns_a_later_request_and_times_out_when_none_comes()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();

        var waiting = api.Requests.WaitForAsync(r => r.Verb == "create" && r.Name is null && r.Resource == "configmaps", TimeSpan.FromSeconds(10), Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("a"), "shop", cancellationToken: Ct);
        var seen = await waiting;

        Assert.Equal("shop", seen.Namespace);
        await Assert.ThrowsAsync<TimeoutException>(() => api.Requests.WaitForAsync(r => r.Verb == "delete", TimeSpan.FromMilliseconds(100), Ct));
    }

    [Fact]
    public async Task WaitUntilAsync_holds_a_condition_over_the_whole_journal()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();

        var threeCreates = api.Requests.WaitUntilAsync(journal => journal.Count(verb: "create") >= 3, TimeSpan.FromSeconds(10), Ct);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap(name), "shop", cancellationToken: Ct);
        }

        await threeCreates;
        api.Requests.Clear();
        Assert.Equal(0, api.Requests.TotalCount);
    }
}
