namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>What an admin reads: discovery (short names, categories) and the server's Tables.</summary>
public sealed class KubectlGetTests
{
    [Fact]
    public async Task Get_of_several_kinds_by_short_name_across_namespaces_prints_each_kinds_columns()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.SucceedAsync("create", "namespace", "shop");
        await session.ApplyAsync(Manifests.Deployment("web", 2) + "\n---\n" + Manifests.Service("web"));
        await session.SucceedAsync("wait", "--for=condition=Available", "deploy/web", "-n", "shop", "--timeout=20s");

        var output = await session.SucceedAsync("get", "svc,deploy,ns", "-A");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAMESPACE", "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], Table.Parse(lines[0])[0]);
        var service = Table.Parse(lines.Single(line => line.Contains("service/web", StringComparison.Ordinal)))[0];
        Assert.Equal("shop", service[0]);
        Assert.Equal("ClusterIP", service[2]);
        Assert.Matches(@"^10\.96\.\d+\.\d+$", service[3]);
        Assert.Equal(("<none>", "80/TCP"), (service[4], service[5]));
        Assert.Contains(lines, line => line.TrimEnd().StartsWith("NAMESPACE", StringComparison.Ordinal) && line.Contains("UP-TO-DATE", StringComparison.Ordinal) && line.Contains("AVAILABLE", StringComparison.Ordinal));
        var deployment = Table.Parse(lines.Single(line => line.Contains("deployment.apps/web", StringComparison.Ordinal)))[0];
        Assert.Equal(["shop", "deployment.apps/web", "2/2", "2", "2"], deployment[..5]);
        Assert.Contains(lines, line => Table.Parse(line)[0] is ["", "namespace/shop", "Active", _]);
        Assert.Contains(lines, line => Table.Parse(line)[0] is ["", "namespace/kube-system", "Active", _]);
    }

    [Fact]
    public async Task Pods_replica_sets_and_endpoint_slices_show_what_the_controllers_made()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.SucceedAsync("create", "namespace", "shop");
        await session.ApplyAsync(Manifests.Deployment("web", 2) + "\n---\n" + Manifests.Service("web"));
        await session.SucceedAsync("wait", "--for=condition=Available", "deploy/web", "-n", "shop", "--timeout=20s");

        var pods = Table.Parse(await session.SucceedAsync("get", "pods", "-n", "shop", "-o", "wide"));
        var replicaSets = Table.Parse(await session.SucceedAsync("get", "rs", "-n", "shop"));
        var slices = await Eventually.ValueAsync(() => session.SucceedAsync("get", "endpointslices", "-n", "shop"),
            output => output.Contains("8080", StringComparison.Ordinal) && Table.Parse(output)[1][3].Contains(',', StringComparison.Ordinal), "the slice with two endpoints");

        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"], pods[0]);
        Assert.Equal(2, pods.Count - 1);
        Assert.All(pods.Skip(1), pod => Assert.Equal(["1/1", "Running", "0"], pod[1..4]));
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "AGE"], replicaSets[0]);
        Assert.Matches("^web-[a-z0-9]+$", replicaSets[1][0]);
        Assert.Equal(["2", "2", "2"], replicaSets[1][1..4]);
        Assert.All(pods.Skip(1), pod => Assert.StartsWith(replicaSets[1][0] + "-", pod[0], StringComparison.Ordinal));
        var slice = Table.Parse(slices);
        Assert.Equal(["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], slice[0]);
        Assert.Equal(["IPv4", "8080"], slice[1][1..3]);
        Assert.Equal(pods.Skip(1).Select(pod => pod[5]).Order(StringComparer.Ordinal), slice[1][3].Split(',').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Get_all_uses_the_all_category_and_a_missing_object_is_reported_as_kubectl_reports_it()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.SucceedAsync("create", "namespace", "shop");
        await session.ApplyAsync(Manifests.Deployment("web", 1) + "\n---\n" + Manifests.Service("web"));
        await session.SucceedAsync("wait", "--for=condition=Available", "deploy/web", "-n", "shop", "--timeout=20s");

        var all = await session.SucceedAsync("get", "all", "-n", "shop");
        var missing = await session.RunAsync("get", "deploy", "missing", "-n", "shop");

        Assert.Contains("service/web", all, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web", all, StringComparison.Ordinal);
        Assert.Matches(@"replicaset\.apps/web-[a-z0-9]+", all);
        Assert.Matches(@"pod/web-[a-z0-9]+-[a-z0-9]+\s+1/1\s+Running", all);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error from server (NotFound): deployments.apps \"missing\" not found\n", missing.Error);
    }

    [Fact]
    public async Task Leases_show_their_holder_and_events_show_what_happened_to_which_object()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.ApplyAsync("""
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata: {name: ovn-unidler, namespace: kube-system}
            spec: {holderIdentity: node-a_1234, leaseDurationSeconds: 15}
            ---
            apiVersion: v1
            kind: Event
            metadata: {name: web.1, namespace: default}
            involvedObject: {kind: Service, name: web, namespace: default}
            reason: NeedPods
            message: The service web needs pods
            type: Normal
            source: {component: ovn-unidler}
            count: 1
            """);

        var leases = Table.Parse(await session.SucceedAsync("get", "leases", "-n", "kube-system"));
        var events = Table.Parse(await session.SucceedAsync("get", "events", "-n", "default"));
        var wide = Table.Parse(await session.SucceedAsync("get", "ev", "-n", "default", "-o", "wide"));

        Assert.Equal(["NAME", "HOLDER", "AGE"], leases[0]);
        Assert.Equal(["ovn-unidler", "node-a_1234"], leases[1][..2]);
        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], events[0]);
        Assert.Equal(["Normal", "NeedPods", "service/web", "The service web needs pods"], events[1][1..]);
        Assert.Contains("SOURCE", wide[0]);
        Assert.Contains("ovn-unidler", wide[1]);
    }
}
