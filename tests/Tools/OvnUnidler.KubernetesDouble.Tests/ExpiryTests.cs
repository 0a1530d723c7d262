using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace OvnUnidler.KubernetesDouble.Tests;

// History lost by age, as etcd compaction loses it, on a fake clock.
public sealed class ExpiryTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_watch_from_a_resource_version_older_than_two_compactions_is_410_though_few_changes_were_made()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { TimeProvider = clock, EnableControllerManager = false, CompactionInterval = Interval }, Ct);
        using var client = api.CreateClient();
        var listed = await client.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("c1"), "shop", cancellationToken: Ct);

        clock.Advance(Interval);
        await using (var watch = new WatchRecorder<V1ConfigMap>(
            token => client.CoreV1.WatchListNamespacedConfigMapAsync("shop", resourceVersion: listed.Metadata.ResourceVersion, cancellationToken: token), Ct))
        {
            var replayed = await watch.TakeAsync(1, Ct);
            Assert.Equal("c1", replayed[0].Object.Metadata.Name);
        }

        clock.Advance(Interval);
        var errors = new List<Exception>();
        await using var expiredWatch = new WatchRecorder<V1ConfigMap>(
            token => client.CoreV1.WatchListNamespacedConfigMapAsync("shop", resourceVersion: listed.Metadata.ResourceVersion, onError: errors.Add, cancellationToken: token), Ct);
        Assert.Empty(await expiredWatch.DrainAsync(Ct));
        var expired = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal((410, "Expired"), (expired.Status.Code, expired.Status.Reason));
        Assert.StartsWith($"too old resource version: {listed.Metadata.ResourceVersion} (", expired.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_continue_token_is_410_with_a_token_that_continues_from_the_current_state()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { TimeProvider = clock, EnableControllerManager = false, CompactionInterval = Interval }, Ct);
        using var client = api.CreateClient();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap(name), "shop", cancellationToken: Ct);
        }

        var first = await client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 2, cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("bb"), "shop", cancellationToken: Ct);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("c", "shop", cancellationToken: Ct);
        clock.Advance(2 * Interval);

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.Gone, "Expired",
            () => client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: Ct));
        var replacement = status.GetProperty("metadata").GetProperty("continue").GetString();
        var rest = await client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 1, continueParameter: replacement, cancellationToken: Ct);
        var last = await client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 1, continueParameter: rest.Metadata.ContinueProperty, cancellationToken: Ct);

        Assert.Equal(["a", "b"], first.Items.Select(item => item.Metadata.Name));
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(replacement));
        // From the state after the changes: bb (created after the first page, after key b) appears, c (deleted) does not.
        Assert.Equal("bb", Assert.Single(rest.Items).Metadata.Name);
        Assert.Equal(1, rest.Metadata.RemainingItemCount);
        Assert.True(long.Parse(rest.Metadata.ResourceVersion) > long.Parse(first.Metadata.ResourceVersion));
        Assert.Equal("d", Assert.Single(last.Items).Metadata.Name);
        Assert.Equal(rest.Metadata.ResourceVersion, last.Metadata.ResourceVersion);
        Assert.Null(last.Metadata.ContinueProperty);
    }
}
