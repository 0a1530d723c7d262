namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>The commands that change objects: create, apply, scale, annotate, patch (merge, json, strategic), describe.</summary>
public sealed class KubectlWriteTests
{
    [Fact]
    public async Task Create_and_apply_report_created_configured_and_unchanged()
    {
        await using var session = await KubectlSession.StartAsync();

        var ns = await session.SucceedAsync("create", "namespace", "shop");
        var configMap = await session.SucceedAsync("create", "configmap", "settings", "-n", "shop", "--from-literal=mode=write");
        var first = await session.ApplyAsync(Manifests.Deployment("web", 1));
        var again = await session.ApplyAsync(Manifests.Deployment("web", 1));
        var changed = await session.ApplyAsync(Manifests.Deployment("web", 3));
        var data = await session.SucceedAsync("get", "cm", "settings", "-n", "shop", "-o", "jsonpath={.data.mode}");
        var replicas = await session.SucceedAsync("get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}");

        Assert.Equal("namespace/shop created\n", ns);
        Assert.Equal("configmap/settings created\n", configMap);
        Assert.Equal("deployment.apps/web created\n", first);
        Assert.Equal("deployment.apps/web unchanged\n", again);
        Assert.Equal("deployment.apps/web configured\n", changed);
        Assert.Equal("write", data);
        Assert.Equal("3", replicas);
    }

    [Fact]
    public async Task Scale_annotate_and_the_three_patch_types_change_what_get_shows()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.SucceedAsync("create", "namespace", "shop");
        await session.ApplyAsync(Manifests.Deployment("web", 1) + "\n---\n" + Manifests.Service("web"));

        var scaled = await session.SucceedAsync("scale", "deploy/web", "-n", "shop", "--replicas=3");
        await session.SucceedAsync("wait", "--for=jsonpath={.status.readyReplicas}=3", "deploy/web", "-n", "shop", "--timeout=20s");
        var ready = Table.Cell(await session.SucceedAsync("get", "deploy", "-n", "shop"), "web", "READY");
        var annotated = await session.SucceedAsync("annotate", "svc", "web", "-n", "shop", "idling.alpha.openshift.io/idled-at=2024-01-01T00:00:00Z");
        var merge = await session.SucceedAsync("patch", "svc", "web", "-n", "shop", "--type=merge", "-p", """{"metadata":{"labels":{"tier":"front"}}}""");
        var json = await session.SucceedAsync("patch", "deploy", "web", "-n", "shop", "--type=json", "-p", """[{"op":"replace","path":"/spec/replicas","value":0}]""");
        var strategic = await session.SucceedAsync("patch", "deploy", "web", "-n", "shop", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.example/web:2"}]}}}}""");
        var service = await session.SucceedAsync("get", "svc", "web", "-n", "shop", "-o", "jsonpath={.metadata.annotations.idling\\.alpha\\.openshift\\.io/idled-at} {.metadata.labels.tier}");
        var deployment = await session.SucceedAsync("get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].name}");
        var badPatch = await session.RunAsync("patch", "deploy", "web", "-n", "shop", "--type=json", "-p", """[{"op":"test","path":"/spec/replicas","value":7}]""");

        Assert.Equal("deployment.apps/web scaled\n", scaled);
        Assert.Equal("3/3", ready);
        Assert.Equal("service/web annotated\n", annotated);
        Assert.Equal("service/web patched\n", merge);
        Assert.Equal("deployment.apps/web patched\n", json);
        Assert.Equal("deployment.apps/web patched\n", strategic);
        Assert.Equal("2024-01-01T00:00:00Z front", service);
        Assert.Equal("0 registry.example/web:2 app", deployment);
        Assert.NotEqual(0, badPatch.ExitCode);
        Assert.StartsWith("The request is invalid: testing value \"/spec/replicas\" failed", badPatch.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_shows_the_deployments_replicas_conditions_and_replica_set()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.SucceedAsync("create", "namespace", "shop");
        await session.ApplyAsync(Manifests.Deployment("web", 2));
        var waited = await session.SucceedAsync("wait", "--for=condition=Available", "deploy/web", "-n", "shop", "--timeout=20s");

        var described = await session.SucceedAsync("describe", "deploy", "web", "-n", "shop");

        Assert.Equal("deployment.apps/web condition met\n", waited);
        Assert.Matches(@"Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable", described);
        Assert.Matches(@"Available\s+True\s+MinimumReplicasAvailable", described);
        Assert.Matches(@"Progressing\s+True\s+NewReplicaSetAvailable", described);
        Assert.Matches(@"NewReplicaSet:\s+web-[a-z0-9]+ \(2/2 replicas created\)", described);
        Assert.Matches(@"Image:\s+registry.example/web:1", described);
    }
}
