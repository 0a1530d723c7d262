using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class WatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Watch_from_a_list_sees_added_modified_and_deleted_in_order()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var list = await client.CoreV1.ListNamespacedServiceAsync("shop", cancellationToken: Ct);
        await using var watch = WatchServices(client, list.Metadata.ResourceVersion);
        await api.Requests.WaitForAsync(r => r.Verb == "watch", TimeSpan.FromSeconds(10), Ct);

        var created = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        var patched = await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""{"metadata":{"labels":{"v":"2"}}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: Ct);
        await client.CoreV1.DeleteNamespacedServiceAsync("web", "shop", cancellationToken: Ct);
        var events = await watch.TakeAsync(3, Ct);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type).ToArray());
        Assert.Equal(created.Metadata.ResourceVersion, events[0].Object.Metadata.ResourceVersion);
        Assert.Equal(patched.Metadata.ResourceVersion, events[1].Object.Metadata.ResourceVersion);
        Assert.True(long.Parse(events[2].Object.Metadata.ResourceVersion) > long.Parse(patched.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_without_resource_version_starts_with_the_current_objects()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("a", "a"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("b", "b"), "shop", cancellationToken: Ct);

        await using var watch = WatchServices(client, null);
        var initial = await watch.TakeAsync(2, Ct);

        Assert.All(initial, e => Assert.Equal(WatchEventType.Added, e.Type));
        Assert.Equal(["a", "b"], initial.Select(e => e.Object.Metadata.Name).Order().ToArray());
    }

    [Fact]
    public async Task Watch_from_an_old_resource_version_replays_every_later_change()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var first = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("a", "a"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("b", "b"), "shop", cancellationToken: Ct);
        await client.CoreV1.DeleteNamespacedServiceAsync("a", "shop", cancellationToken: Ct);

        await using var watch = WatchServices(client, first.Metadata.ResourceVersion);
        var replayed = await watch.TakeAsync(2, Ct);

        Assert.Equal([(WatchEventType.Added, "b"), (WatchEventType.Deleted, "a")], replayed.Select(e => (e.Type, e.Object.Metadata.Name)).ToArray());
    }

    [Fact]
    public async Task Watch_from_a_resource_version_older_than_the_history_gets_410_Expired_and_ends()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { WatchCacheWindow = 3 }, Ct);
        var client = api.CreateClient();
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("c0"), "shop", cancellationToken: Ct);
        for (var i = 1; i <= 5; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap($"c{i}"), "shop", cancellationToken: Ct);
        }

        var errors = new List<Exception>();
        await using var watch = new WatchRecorder<V1ConfigMap>(
            token => client.CoreV1.WatchListNamespacedConfigMapAsync("shop", resourceVersion: first.Metadata.ResourceVersion, onError: errors.Add, cancellationToken: token),
            Ct);
        var events = await watch.DrainAsync(Ct);

        Assert.Empty(events);
        var expired = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, expired.Status.Code);
        Assert.Equal("Expired", expired.Status.Reason);
        Assert.StartsWith("too old resource version", expired.Status.Message);
    }

    [Fact]
    public async Task Bookmarks_carry_the_current_resource_version()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) }, Ct);
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("settings"), "other", cancellationToken: Ct);

        await using var watch = new WatchRecorder<V1ConfigMap>(
            token => client.CoreV1.WatchListNamespacedConfigMapAsync("shop", allowWatchBookmarks: true, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: token),
            Ct);
        var bookmark = await watch.NextAsync(Ct);

        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(created.Metadata.ResourceVersion, bookmark.Object.Metadata.ResourceVersion);
        Assert.Null(bookmark.Object.Metadata.Name);
    }

    [Fact]
    public async Task Initial_events_end_with_an_annotated_bookmark_when_asked_for()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);

        await using var watch = new WatchRecorder<V1Service>(
            token => client.CoreV1.WatchListNamespacedServiceAsync("shop", allowWatchBookmarks: true, sendInitialEvents: true,
                resourceVersionMatch: "NotOlderThan", cancellationToken: token),
            Ct);
        var events = await watch.TakeAsync(2, Ct);

        Assert.Equal(WatchEventType.Added, events[0].Type);
        Assert.Equal(WatchEventType.Bookmark, events[1].Type);
        Assert.Equal("true", events[1].Object.Metadata.Annotations["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task Objects_entering_and_leaving_a_label_selector_arrive_as_added_and_deleted()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: Ct);
        await using var watch = new WatchRecorder<V1ConfigMap>(
            token => client.CoreV1.WatchListNamespacedConfigMapAsync("shop", labelSelector: "tier=web", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: token),
            Ct);

        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("m", new Dictionary<string, string> { ["tier"] = "db" }), "shop", cancellationToken: Ct);
        foreach (var tier in new[] { "web", "web2", "db" })
        {
            await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($"{{\"metadata\":{{\"labels\":{{\"tier\":\"{(tier == "web2" ? "web" : tier)}\",\"n\":\"{tier}\"}}}}}}", V1Patch.PatchType.MergePatch), "m", "shop", cancellationToken: Ct);
        }

        var events = await watch.TakeAsync(3, Ct);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type).ToArray());
    }

    [Fact]
    public async Task Watch_ends_after_timeout_seconds()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("settings"), "shop", cancellationToken: Ct);

        await using var watch = new WatchRecorder<V1ConfigMap>(
            token => client.CoreV1.WatchListNamespacedConfigMapAsync("shop", timeoutSeconds: 1, cancellationToken: token),
            Ct);

        Assert.Equal([WatchEventType.Added], (await watch.DrainAsync(Ct)).Select(e => e.Type).ToArray());
    }

    [Fact]
    public async Task Callback_watcher_sees_events_and_dropped_connections_close_it()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var seen = new List<(WatchEventType, string)>();
        var closed = new TaskCompletionSource();
        using var watcher = client.CoreV1.WatchListNamespacedService(
            "shop",
            onEvent: (type, service) => { lock (seen) { seen.Add((type, service.Metadata.Name)); } },
            onClosed: () => closed.TrySetResult());
        await api.Requests.WaitForAsync(r => r.Verb == "watch", TimeSpan.FromSeconds(10), Ct);

        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await Eventually.ValueAsync(() => Task.FromResult(seen.Count), count => count == 1, "one watch event", TimeSpan.FromSeconds(10));
        var dropped = api.Faults.DropWatchConnections();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(1, dropped);
        Assert.Equal([(WatchEventType.Added, "web")], seen);
    }

    [Fact]
    public async Task Watch_with_an_unparseable_selector_is_400()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();

        var failure = await Assert.ThrowsAsync<HttpOperationException>(
            () => client.CoreV1.ListNamespacedServiceWithHttpMessagesAsync("shop", watch: true, labelSelector: "a in (b", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.BadRequest, failure.Response.StatusCode);
    }

    // The list-with-watch=true form older operator code uses, still served by KubernetesClient.
#pragma warning disable CS0618
    private static WatchRecorder<V1Service> WatchServices(IKubernetes client, string? resourceVersion) => new(
        token => client.CoreV1.ListNamespacedServiceWithHttpMessagesAsync("shop", watch: true, resourceVersion: resourceVersion, cancellationToken: token)
            .WatchAsync<V1Service, V1ServiceList>(cancellationToken: token),
        Ct);
#pragma warning restore CS0618
}
