namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>The repository's CRD applied with kubectl, then Idlers as an admin sees and edits them.</summary>
public sealed class KubectlCustomResourceTests
{
    [Fact]
    public async Task Applying_the_crd_serves_idlers_with_their_printer_columns_the_last_holds_held_count_wide_and_short_name()
    {
        await using var session = await KubectlSession.StartAsync();
        var directory = await session.RunAsync("apply", "--validate=false", "-f", Repository.Combine("crds"));
        var applied = await session.SucceedAsync("apply", "--validate=false", "-f", Repository.Combine("crds", "idlers.unidler.ovn.org.yaml"));
        var established = await session.SucceedAsync("wait", "--for=condition=Established", "crd/idlers.unidler.ovn.org", "--timeout=20s");
        await session.ApplyAsync("""
            apiVersion: unidler.ovn.org/v1alpha1
            kind: Idler
            metadata: {name: web, namespace: default}
            spec: {serviceName: web, desiredState: Idled}
            """);
        await session.SucceedAsync("patch", "idler", "web", "--subresource=status", "--type=merge", "-p",
            """{"status":{"phase":"Idled","wakeCount":3,"lastWakeLatency":"850ms","lastEventChassis":"node-a","lastHold":{"held":7,"startedAt":"2026-05-01T10:00:00Z","duration":"8.2s","end":"Drained","connections":5,"flows":2,"handedToPods":6,"reset":1,"resetReasons":{"service_limit":1},"dropped":0,"keptDatagrams":3}}}""");

        var idlers = Table.Parse(await session.SucceedAsync("get", "idlers"));
        var wide = Table.Parse(await session.SucceedAsync("get", "idl", "-o", "wide"));
        var crds = Table.Parse(await session.SucceedAsync("get", "crd"));

        // -f on the directory also reads its kustomization.yaml, which no server serves a kind for
        // (apply -k crds/ or -f on the file avoids the error); the CRD itself is created.
        Assert.Equal((1, "customresourcedefinition.apiextensions.k8s.io/idlers.unidler.ovn.org created\n"), (directory.ExitCode, directory.Output));
        Assert.Equal("customresourcedefinition.apiextensions.k8s.io/idlers.unidler.ovn.org unchanged\n", applied);
        Assert.Contains("no matches for kind \"Kustomization\" in version \"kustomize.config.k8s.io/v1beta1\"", directory.Error, StringComparison.Ordinal);
        Assert.Equal("customresourcedefinition.apiextensions.k8s.io/idlers.unidler.ovn.org condition met\n", established);
        Assert.Equal(["NAME", "SERVICE", "DESIRED", "PHASE", "WAKES", "LAST WAKE", "LATENCY", "AGE"], idlers[0]);
        Assert.Equal(["web", "web", "Idled", "Idled", "3", "850ms"], idlers[1][..6]);
        Assert.Equal(["NAME", "SERVICE", "DESIRED", "PHASE", "WAKES", "LAST WAKE", "LATENCY", "IDLED AT", "CHASSIS", "HELD", "AGE"], wide[0]);
        // Blank cells (no lastWakeTime, no idledAt) vanish from the split row: count from its end.
        Assert.Equal(["node-a", "7"], wide[1][^3..^1]);
        Assert.Equal(["NAME", "CREATED AT"], crds[0]);
        Assert.Equal("idlers.unidler.ovn.org", crds[1][0]);
    }

    [Fact]
    public async Task An_invalid_idler_is_refused_with_the_servers_field_errors_and_unknown_fields_are_dropped()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.SucceedAsync("apply", "--validate=false", "-f", Repository.Combine("crds", "idlers.unidler.ovn.org.yaml"));

        var invalid = await session.Kubectl.RunAsync("apply", "--validate=false", "-f", session.Kubectl.WriteFile("bad.yaml", """
            apiVersion: unidler.ovn.org/v1alpha1
            kind: Idler
            metadata: {name: web, namespace: default}
            spec: {serviceName: web, desiredState: Sleeping}
            """));
        await session.ApplyAsync("""
            apiVersion: unidler.ovn.org/v1alpha1
            kind: Idler
            metadata: {name: web, namespace: default}
            spec: {serviceName: web, colour: blue}
            """);
        var spec = await session.SucceedAsync("get", "idler", "web", "-o", "jsonpath={.spec}");
        var status = await session.RunAsync("patch", "idler", "web", "--subresource=status", "--type=merge", "-p", """{"status":{"wakeCount":-1}}""");
        var strategic = await session.RunAsync("patch", "idler", "web", "-p", """{"spec":{"desiredState":"Idled"}}""");

        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("The Idler \"web\" is invalid: spec.desiredState: Unsupported value: \"Sleeping\": supported values: \"Active\", \"Idled\"", invalid.Error, StringComparison.Ordinal);
        Assert.Equal("""{"serviceName":"web"}""", spec);
        Assert.NotEqual(0, status.ExitCode);
        Assert.Contains("status.wakeCount: Invalid value: -1: status.wakeCount in body should be greater than or equal to 0", status.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, strategic.ExitCode);
        Assert.Contains("application/strategic-merge-patch+json is not supported", strategic.Error, StringComparison.Ordinal);
    }
}
