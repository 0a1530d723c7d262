using System.Text.Json;

namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>Watches and chunked lists as kubectl makes them.</summary>
public sealed class KubectlWatchTests
{
    [Fact]
    public async Task Get_watch_prints_a_new_row_when_another_client_scales()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.SucceedAsync("create", "namespace", "shop");
        await session.ApplyAsync(Manifests.Deployment("web", 1));
        await session.SucceedAsync("wait", "--for=condition=Available", "deploy/web", "-n", "shop", "--timeout=20s");
        await using var watch = session.Kubectl.Stream("get", "deploy", "web", "-n", "shop", "-w");
        var header = await watch.LineAsync(line => line.StartsWith("NAME", StringComparison.Ordinal), "the header");
        await watch.LineAsync(line => line.StartsWith("web ", StringComparison.Ordinal), "the first row");

        await session.SucceedAsync("scale", "deploy/web", "-n", "shop", "--replicas=3");

        var scaled = await watch.LineAsync(line => Table.Parse(line)[0] is ["web", "3/3", "3", "3", _], "web at 3/3");
        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], Table.Parse(header)[0]);
        Assert.StartsWith("web", scaled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_list_pages_with_limit_and_continue_until_the_last()
    {
        await using var session = await KubectlSession.StartAsync();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await session.SucceedAsync("create", "configmap", name, "-n", "default", "--from-literal=k=v");
        }

        var first = JsonDocument.Parse(await session.SucceedAsync("get", "--raw", "/api/v1/namespaces/default/configmaps?limit=2")).RootElement;
        var token = first.GetProperty("metadata").GetProperty("continue").GetString()!;
        var second = JsonDocument.Parse(await session.SucceedAsync("get", "--raw", $"/api/v1/namespaces/default/configmaps?limit=2&continue={Uri.EscapeDataString(token)}")).RootElement;
        var third = JsonDocument.Parse(await session.SucceedAsync("get", "--raw",
            $"/api/v1/namespaces/default/configmaps?limit=2&continue={Uri.EscapeDataString(second.GetProperty("metadata").GetProperty("continue").GetString()!)}")).RootElement;

        Assert.Equal(["a", "b"], Names(first));
        Assert.Equal(3, first.GetProperty("metadata").GetProperty("remainingItemCount").GetInt32());
        Assert.Equal(["c", "d"], Names(second));
        Assert.Equal(["e"], Names(third));
        Assert.False(third.GetProperty("metadata").TryGetProperty("continue", out _));
        Assert.Equal(first.GetProperty("metadata").GetProperty("resourceVersion").GetString(), third.GetProperty("metadata").GetProperty("resourceVersion").GetString());
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_ends_with_410_expired()
    {
        var options = new KubernetesApiDoubleOptions { WatchCacheWindow = 5, EnableControllerManager = false };
        await using var session = await KubectlSession.StartAsync(options);
        var created = JsonDocument.Parse(await session.SucceedAsync("create", "configmap", "first", "-n", "default", "-o", "json")).RootElement;
        var since = created.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        for (var i = 0; i < 10; i++)
        {
            await session.SucceedAsync("create", "configmap", $"later-{i}", "-n", "default");
        }

        var watch = await session.SucceedAsync("get", "--raw", $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={since}");

        var error = JsonDocument.Parse(watch.Trim()).RootElement;
        Assert.Equal("ERROR", error.GetProperty("type").GetString());
        Assert.Equal(410, error.GetProperty("object").GetProperty("code").GetInt32());
        Assert.Equal("Expired", error.GetProperty("object").GetProperty("reason").GetString());
        Assert.StartsWith("too old resource version", error.GetProperty("object").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static string[] Names(JsonElement list) =>
        list.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("metadata").GetProperty("name").GetString()!).ToArray();
}
