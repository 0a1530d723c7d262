using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.Operator.Commands;
using OvnUnidler.Operator.Tests.Harness;
using OvnUnidler.Testing.Deployment;

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

    private static async Task<(int Exit, string Output)> RunAsync(params string[] arguments)
    {
        var (exit, output, error) = await OperatorCommand.RunInProcessAsync(arguments);
        Assert.True(error.Length == 0, error);
        return (exit, output);
    }
}
