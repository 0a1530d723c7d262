using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>One double and kubectl pointed at it, stopped together.</summary>
public sealed class KubectlSession : IAsyncDisposable
{
    private KubectlSession(KubernetesApiDouble api, Kubectl kubectl)
    {
        Api = api;
        Kubectl = kubectl;
    }

    public KubernetesApiDouble Api { get; }

    public Kubectl Kubectl { get; }

    /// <param name="anonymousIsAdmin">False to keep kubectl's anonymous requests as unbound as a real cluster keeps them.</param>
    public static async Task<KubectlSession> StartAsync(KubernetesApiDoubleOptions? options = null, bool anonymousIsAdmin = true)
    {
        var api = await KubernetesApiDouble.StartAsync(options ?? new KubernetesApiDoubleOptions { ReadyDelay = TimeSpan.FromMilliseconds(50) }, TestContext.Current.CancellationToken);
        try
        {
            var kubectl = Kubectl.For(api);
            if (anonymousIsAdmin)
            {
                await GrantAnonymousClusterAdminAsync(api);
            }

            return new KubectlSession(api, kubectl);
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// kubectl sends no bearer token to an http:// server (its request shows no Authorization
    /// header), and the double serves plain HTTP, so kubectl arrives as system:anonymous. These
    /// tests judge what the double serves, not who may ask: bind anonymous to cluster-admin, as a
    /// throwaway test cluster with open access would. Authorization itself is tested with tokens
    /// through KubernetesClient (tests/Tools/OvnUnidler.KubernetesDouble.Tests).
    /// </summary>
    private static async Task GrantAnonymousClusterAdminAsync(KubernetesApiDouble api)
    {
        using var admin = api.CreateClient();
        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(
            new V1ClusterRoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "kubectl-tests-anonymous-admin" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "cluster-admin" },
                Subjects = [new Rbacv1Subject { Kind = "User", Name = "system:anonymous", ApiGroup = "rbac.authorization.k8s.io" }],
            },
            cancellationToken: TestContext.Current.CancellationToken);
    }

    public Task<string> SucceedAsync(params string[] arguments) => Kubectl.SucceedAsync(arguments);

    public Task<KubectlResult> RunAsync(params string[] arguments) => Kubectl.RunAsync(arguments);

    /// <summary>Applies YAML given inline (kubectl apply -f FILE --validate=false: the double serves no OpenAPI).</summary>
    public Task<string> ApplyAsync(string yaml) =>
        Kubectl.SucceedAsync("apply", "--validate=false", "-f", Kubectl.WriteFile($"manifest-{Guid.NewGuid():N}.yaml", yaml));

    public async ValueTask DisposeAsync()
    {
        Kubectl.Dispose();
        await Api.DisposeAsync();
    }
}
