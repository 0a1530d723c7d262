using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.Operator.Commands;
using OvnUnidler.Operator.Tests.Harness;
using OvnUnidler.Testing.Deployment;
using OvnUnidler.Testing.OpenShift;
using OvnUnidler.Testing.Workloads;

namespace OvnUnidler.Operator.Tests.Commands;

public sealed class IdlingCommandsTests
{
    [Fact]
    public async Task Idle_records_the_targets_scales_to_zero_and_wake_restores_them()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3, idled: false);
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api);

        var (idleExit, idleOutput) = await RunAsync("idle", "shop/web", "--kubeconfig", kubeconfig.Path);

        Assert.Equal(0, idleExit);
        Assert.Contains("Deployment/web", idleOutput, StringComparison.Ordinal);
        Assert.Equal(0, await environment.Workloads.ReplicasAsync("shop", "web"));
        var annotations = await environment.Workloads.AnnotationsAsync("shop", "web");
        Assert.Contains(IdledWorkloads.IdledAt, annotations.Keys);
        Assert.Contains("\"replicas\":3", annotations[IdledWorkloads.UnidleTargets], StringComparison.Ordinal);

        var (statusExit, statusOutput) = await RunAsync("status", "--namespace", "shop", "--kubeconfig", kubeconfig.Path);
        Assert.Equal(0, statusExit);
        Assert.Contains("shop/web", statusOutput, StringComparison.Ordinal);

        var (wakeExit, _) = await RunAsync("wake", "-n", "shop", "web", "--kubeconfig", kubeconfig.Path);
        Assert.Equal(0, wakeExit);
        Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.DoesNotContain(IdledWorkloads.IdledAt, (await environment.Workloads.AnnotationsAsync("shop", "web")).Keys);
    }

    [Theory]
    [InlineData("edit", true)]
    [InlineData("view", false)]
    public async Task Idle_status_and_wake_run_as_a_namespace_user_bound_to_edit_with_the_shipped_idler_roles(string clusterRole, bool allowed)
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3, idled: false);
        // The Idler roles deploy/ ships aggregate into the built-in edit and view.
        await DeployVariants.All[0].InstallAccessAsync(environment.Client, TestContext.Current.CancellationToken);
        var developer = UserInfo.User("developer");
        await environment.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "developer" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = developer.Name }],
        }, "shop", cancellationToken: TestContext.Current.CancellationToken);
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api, environment.Api.IssueToken(developer));

        var (idleExit, idleOutput) = await RunAsync("idle", "shop/web", "--kubeconfig", kubeconfig.Path);
        var (statusExit, statusOutput) = await RunAsync("status", "shop/web", "--kubeconfig", kubeconfig.Path);

        var refused = environment.Api.Requests.Where(request => request.User?.Name == developer.Name && request.StatusCode == 403);
        Assert.True(statusExit == 0, statusOutput + idleOutput);
        Assert.Contains("shop/web", statusOutput, StringComparison.Ordinal);
        if (!allowed)
        {
            Assert.NotEqual(0, idleExit);
            Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
            Assert.NotEmpty(refused);
            return;
        }

        Assert.True(idleExit == 0, idleOutput);
        Assert.Equal(0, await environment.Workloads.ReplicasAsync("shop", "web"));
        var (wakeExit, wakeOutput) = await RunAsync("wake", "shop/web", "--kubeconfig", kubeconfig.Path);
        Assert.True(wakeExit == 0, wakeOutput);
        Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Empty(environment.Api.Requests.Where(request => request.User?.Name == developer.Name && request.StatusCode == 403));
        Assert.Contains(environment.Api.Requests.Snapshot(), request => request.User?.Name == developer.Name && request.Subresource == "scale" && request.Verb == "update");
    }

    [Fact]
    public async Task Idle_with_dry_run_changes_nothing()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2, idled: false);
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api);

        var (exit, output) = await RunAsync("idle", "web", "--dry-run", "-n", "shop", "--kubeconfig", kubeconfig.Path);

        Assert.Equal(0, exit);
        Assert.Contains("Deployment/web", output, StringComparison.Ordinal);
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.DoesNotContain(IdledWorkloads.IdledAt, (await environment.Workloads.AnnotationsAsync("shop", "web")).Keys);
        Assert.Equal(0, environment.Api.Requests.Count(verb: "update") + environment.Api.Requests.Count(verb: "patch"));
    }

    [Fact]
    public async Task A_service_argument_without_namespace_is_a_usage_error()
    {
        var (exit, output, error) = await OperatorCommand.RunInProcessAsync("idle", "web", "--kubeconfig", "/nonexistent");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.Contains("NAMESPACE/web or --namespace NAMESPACE", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_one_service_named_with_namespace_option_shows_it_although_active()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2, idled: false);
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api);

        var (exit, output) = await RunAsync("status", "-n", "shop", "web", "--kubeconfig", kubeconfig.Path);

        Assert.Equal(0, exit);
        Assert.Contains("shop/web: active", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_records_the_deployment_behind_the_pods_skips_a_matching_one_at_zero_and_dry_run_prints_the_chain()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2, idled: false);
        await environment.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web-canary" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:2" }] },
                },
            },
        }, "shop", cancellationToken: TestContext.Current.CancellationToken);
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api);

        var (planExit, plan) = await RunAsync("idle", "shop/web", "--dry-run", "--kubeconfig", kubeconfig.Path);
        var (idleExit, idleOutput) = await RunAsync("idle", "shop/web", "--kubeconfig", kubeconfig.Path);

        Assert.Equal((0, 0), (planExit, idleExit));
        Assert.Matches(@"(?m)^    found through Pods web-[a-z0-9]+-[a-z0-9]+, web-[a-z0-9]+-[a-z0-9]+ -> ReplicaSet web-[a-z0-9]+ -> Deployment web$", plan);
        Assert.DoesNotContain("web-canary", plan + idleOutput, StringComparison.Ordinal);
        Assert.Equal(
            """[{"kind":"Deployment","name":"web","group":"apps","replicas":2}]""",
            (await environment.Workloads.AnnotationsAsync("shop", "web"))[IdledWorkloads.UnidleTargets]);
        Assert.Equal(0, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(0, environment.Api.Requests.Count(verb: "update", resource: "replicasets", subresource: "scale"));
    }

    [Fact]
    public async Task Wake_restores_an_oc_idle_record_with_a_custom_scale_kind_and_a_deployment()
    {
        var record = OcIdleRecord.Load(OcIdleRecord.DeploymentAndRollout);
        await using var environment = await OperatorEnvironment.StartAsync();
        var client = environment.Client;
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        await client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch(KubernetesJson.Serialize(new { metadata = new { annotations = record.Service } }), V1Patch.PatchType.MergePatch),
            "web", "shop", cancellationToken: TestContext.Current.CancellationToken);
        await ScalableCustomResources.CreateDefinitionAsync(client, "argoproj.io", "Rollout", "rollouts");
        await ScalableCustomResources.CreateAsync(client, "shop", "argoproj.io", "Rollout", "rollouts", "web-rollout", replicas: 0, app: "web");
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api);

        var (exit, output) = await RunAsync("wake", "shop/web", "--kubeconfig", kubeconfig.Path);

        Assert.True(exit == 0, output);
        Assert.Contains("Rollout/web-rollout: ScaledUp", output, StringComparison.Ordinal);
        Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(2, await ScalableCustomResources.ReplicasAsync(client, "shop", "argoproj.io", "rollouts", "web-rollout"));
    }

    [Fact]
    public async Task On_a_cluster_without_openshift_an_edit_user_is_never_refused_and_no_deployment_configs_are_asked_for()
    {
        await using var environment = await OperatorEnvironment.StartAsync(new OvnUnidler.KubernetesDouble.KubernetesApiDoubleOptions { ServeOpenShiftApps = false });
        var client = environment.Client;
        var cancellation = TestContext.Current.CancellationToken;
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2, idled: false);
        // Idled by an older tool: idled-at alone, previous-scale on a ReplicationController.
        await client.CoreV1.CreateNamespacedReplicationControllerAsync(new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "legacy", Annotations = new Dictionary<string, string> { ["idling.alpha.openshift.io/previous-scale"] = "2" } },
            Spec = new V1ReplicationControllerSpec
            {
                Replicas = 0,
                Selector = new Dictionary<string, string> { ["app"] = "legacy" },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "legacy" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
                },
            },
        }, "shop", cancellationToken: cancellation);
        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "legacy", Annotations = new Dictionary<string, string> { [IdledWorkloads.IdledAt] = "2026-11-20T10:00:00Z" } },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "legacy" }, Ports = [new V1ServicePort { Port = 80, TargetPort = 8080 }] },
        }, "shop", cancellationToken: cancellation);
        await DeployVariants.All[0].InstallAccessAsync(client, cancellation);
        var developer = UserInfo.User("developer");
        await client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "developer" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "edit" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = developer.Name }],
        }, "shop", cancellationToken: cancellation);
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api, environment.Api.IssueToken(developer));

        var (statusExit, statusOutput) = await RunAsync("status", "shop/legacy", "--kubeconfig", kubeconfig.Path);
        var (idleExit, idleOutput) = await RunAsync("idle", "shop/web", "--kubeconfig", kubeconfig.Path);
        var (wakeExit, wakeOutput) = await RunAsync("wake", "shop/legacy", "--kubeconfig", kubeconfig.Path);

        Assert.True((statusExit, idleExit, wakeExit) == (0, 0, 0), statusOutput + idleOutput + wakeOutput);
        Assert.Contains("ReplicationController/legacy: ScaledUp", wakeOutput, StringComparison.Ordinal);
        var developerRequests = environment.Api.Requests.Where(request => request.User?.Name == developer.Name).ToList();
        Assert.DoesNotContain(developerRequests, request => request.StatusCode == 403);
        Assert.DoesNotContain(developerRequests, request => request.Resource == "deploymentconfigs");
        Assert.Contains(developerRequests, request => request.Verb == "list" && request.Resource == "replicationcontrollers");
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] arguments)
    {
        var (exit, output, error) = await OperatorCommand.RunInProcessAsync(arguments);
        Assert.True(error.Length == 0, error);
        return (exit, output);
    }
}
