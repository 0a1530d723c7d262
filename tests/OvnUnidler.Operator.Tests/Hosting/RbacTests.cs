using k8s;
using k8s.Models;
using OvnUnidler.Entities;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Hosting;

/// <summary>deploy/ grants exactly what the operator calls: nothing it needs is missing, nothing it never uses is granted.</summary>
public sealed class RbacTests
{
    // The API double serves no apps.openshift.io, so no scenario here can make these calls; the
    // code makes them for DeploymentConfigs exactly as for the apps/v1 kinds (WorkloadClient).
    private static readonly RbacRequest[] OnlyOnOpenShift =
    [
        new("apps.openshift.io", "deploymentconfigs", "list"),
        new("apps.openshift.io", "deploymentconfigs", "patch"),
        new("apps.openshift.io", "deploymentconfigs/scale", "get"),
        new("apps.openshift.io", "deploymentconfigs/scale", "update"),
    ];

    [Fact]
    public async Task The_deployed_roles_grant_exactly_the_calls_the_operator_makes()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var client = environment.Client;
        var cancellation = TestContext.Current.CancellationToken;
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        await environment.Workloads.CreateAsync("shop", "api", "10.96.0.11", 80, replicas: 1, idled: false);
        await CreateIdledAsync(client, "shop", "db", "10.96.0.12", new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec { Replicas = 0, Selector = Selector("db"), Template = Template("db"), ServiceName = "db" },
        }, "StatefulSet", "apps");
        await CreateIdledAsync(client, "shop", "cache", "10.96.0.13", new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "cache" },
            Spec = new V1ReplicaSetSpec { Replicas = 0, Selector = Selector("cache"), Template = Template("cache") },
        }, "ReplicaSet", "apps");
        await CreateIdledAsync(client, "shop", "legacy", "10.96.0.14", new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "legacy" },
            Spec = new V1ReplicationControllerSpec { Replicas = 0, Selector = new Dictionary<string, string> { ["app"] = "legacy" }, Template = Template("legacy") },
        }, "ReplicationController", null);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("lb-web", ["10.96.0.10:80"]);
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?>
        {
            ["Unidler:Mode"] = "Central",
            ["Unidler:Backends"] = "Write",
            ["Unidler:Namespaces:0"] = "shop",
        });
        await Eventually.TrueAsync(() => unidler.Metrics.IsLeading, "the operator to lead");
        await unidler.WaitUntilReadyAsync();

        // One failed status write makes the controller requeue the Idler, which reads it again (get).
        environment.Api.Faults.Add(new OvnUnidler.KubernetesDouble.Faults.FaultRule { Verb = "patch", Resource = "idlers", Subresource = "status", StatusCode = 500, Times = 1 });
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(new V1Alpha1Idler
        {
            Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = "shop" },
            Spec = new V1Alpha1IdlerSpec { ServiceName = "api", DesiredState = IdlerDesiredState.Idled },
        }, V1Alpha1Idler.Group, V1Alpha1Idler.Version, "shop", V1Alpha1Idler.Plural, cancellationToken: cancellation);
        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "api") == 0, "api idled by its Idler");
        await environment.Southbound.InsertEventsAsync(
            new[] { "10.96.0.10:80", "10.96.0.11:80", "10.96.0.12:80", "10.96.0.13:80", "10.96.0.14:80" }.Select(vip => EventRow.For(vip, loadBalancer: vip == "10.96.0.10:80" ? loadBalancer : null)));
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "every row deleted");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))["10.96.0.10:80"].Length > 0, "backends written");

        await Eventually.TrueAsync(() => unidler.ApiCalls!.Calls.Contains(new RbacRequest("unidler.ovn.org", "idlers", "get")), "the Idler requeued and read again");

        var granted = Granted();
        var made = unidler.ApiCalls!.Calls.ToHashSet();
        var missing = made.Where(call => !granted.Contains(call)).ToList();
        Assert.True(missing.Count == 0, $"made but not granted: {string.Join("; ", missing)}");
        var unused = granted.Except(made).Except(OnlyOnOpenShift).ToList();
        Assert.True(unused.Count == 0, $"granted but never made: {string.Join("; ", unused)}");
    }

    private static HashSet<RbacRequest> Granted()
    {
        var rules = new List<V1PolicyRule>();
        rules.AddRange(KubernetesYaml.Deserialize<V1ClusterRole>(File.ReadAllText(Repository.Combine("deploy", "common", "clusterrole.yaml"))).Rules);
        rules.AddRange(KubernetesYaml.Deserialize<V1Role>(File.ReadAllText(Repository.Combine("deploy", "common", "role-leases.yaml"))).Rules);
        return [.. rules.SelectMany(rule => rule.ApiGroups.SelectMany(group => rule.Resources.SelectMany(resource => rule.Verbs.Select(verb => new RbacRequest(group, resource, verb)))))];
    }


    private static async Task CreateIdledAsync(IKubernetes client, string ns, string name, string clusterIp, object workload, string kind, string? group)
    {
        var cancellation = TestContext.Current.CancellationToken;
        switch (workload)
        {
            case V1StatefulSet statefulSet:
                await client.AppsV1.CreateNamespacedStatefulSetAsync(statefulSet, ns, cancellationToken: cancellation);
                break;
            case V1ReplicaSet replicaSet:
                await client.AppsV1.CreateNamespacedReplicaSetAsync(replicaSet, ns, cancellationToken: cancellation);
                break;
            case V1ReplicationController controller:
                await client.CoreV1.CreateNamespacedReplicationControllerAsync(controller, ns, cancellationToken: cancellation);
                break;
        }

        var groupField = group is null ? "" : $",\"group\":\"{group}\"";
        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string>
                {
                    [IdledWorkloads.IdledAt] = "2026-11-20T10:00:00Z",
                    [IdledWorkloads.UnidleTargets] = $"[{{\"kind\":\"{kind}\",\"name\":\"{name}\"{groupField},\"replicas\":1}}]",
                },
            },
            Spec = new V1ServiceSpec
            {
                ClusterIP = clusterIp,
                ClusterIPs = [clusterIp],
                Selector = new Dictionary<string, string> { ["app"] = name },
                Ports = [new V1ServicePort { Port = 80, Protocol = "TCP", TargetPort = 8080 }],
            },
        }, ns, cancellationToken: cancellation);
    }

    private static V1LabelSelector Selector(string name) => new() { MatchLabels = new Dictionary<string, string> { ["app"] = name } };

    private static V1PodTemplateSpec Template(string name) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = "registry.example/app:1" }] },
    };
}
