namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>What kubectl shows a user no role is bound to.</summary>
public sealed class KubectlAccessTests
{
    [Fact]
    public async Task An_unbound_user_is_refused_with_the_servers_forbidden_text()
    {
        await using var session = await KubectlSession.StartAsync(anonymousIsAdmin: false);

        var refused = await session.RunAsync("get", "--raw", "/api/v1/namespaces/default/pods");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(
            "Error from server (Forbidden): pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            refused.Error,
            StringComparison.Ordinal);
    }
}
