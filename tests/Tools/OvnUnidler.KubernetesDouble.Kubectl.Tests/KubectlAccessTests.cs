using OvnUnidler.KubernetesDouble.Authentication;

namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>What kubectl shows users whose roles do not allow a request: none bound, or edit where edit is not enough.</summary>
public sealed class KubectlAccessTests
{
    [Fact]
    public async Task An_unbound_user_is_refused_with_the_servers_forbidden_text()
    {
        await using var session = await KubectlSession.StartAsync();
        using var anonymous = session.As(token: null);

        var refused = await anonymous.RunAsync("get", "--raw", "/api/v1/namespaces/default/pods");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(
            "Error from server (Forbidden): pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            refused.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_bound_to_edit_in_one_namespace_works_there_but_is_refused_roles_and_other_namespaces()
    {
        await using var session = await KubectlSession.StartAsync();
        await session.SucceedAsync("create", "namespace", "shop");
        await session.SucceedAsync("-n", "shop", "create", "deployment", "web", "--image=registry.example/web:1", "--replicas=0");
        await session.SucceedAsync("-n", "shop", "create", "rolebinding", "jane-edit", "--clusterrole=edit", "--user=jane");
        using var jane = session.As(session.Api.IssueToken(UserInfo.User("jane")));

        var scaled = await jane.RunAsync("-n", "shop", "scale", "deployment/web", "--replicas=2");
        var roles = await jane.RunAsync("-n", "shop", "get", "roles");
        var elsewhere = await jane.RunAsync("-n", "default", "get", "pods");

        Assert.True(scaled.ExitCode == 0, scaled.Error);
        Assert.Equal("deployment.apps/web scaled", scaled.Output.Trim());
        Assert.NotEqual(0, roles.ExitCode);
        Assert.Contains(
            "Error from server (Forbidden): roles.rbac.authorization.k8s.io is forbidden: User \"jane\" cannot list resource \"roles\" in API group \"rbac.authorization.k8s.io\" in the namespace \"shop\"",
            roles.Error,
            StringComparison.Ordinal);
        Assert.NotEqual(0, elsewhere.ExitCode);
        Assert.Contains(
            "Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            elsewhere.Error,
            StringComparison.Ordinal);
    }
}
