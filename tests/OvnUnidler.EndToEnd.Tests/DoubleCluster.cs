using k8s;
using OvnUnidler.EndToEnd.Tests.Scenarios;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Manifests;
using OvnUnidler.Testing.Deployment;

namespace OvnUnidler.EndToEnd.Tests;

/// <summary>
/// The in-process Kubernetes API double as the cluster under test, one per scenario. The operator
/// runs as its service account with the roles of the deploy/ variant that runs it per zone (as the
/// scenarios do), rendered by real kustomize; the scenario's own set-up runs as cluster-admin.
/// </summary>
public sealed class DoubleCluster : IClusterUnderTest, IAsyncDisposable
{
    private readonly KubernetesApiDouble api;
    private readonly DeployVariant variant;
    private readonly string operatorToken;

    private DoubleCluster(KubernetesApiDouble api, DeployVariant variant, string kubeconfigPath)
    {
        this.api = api;
        this.variant = variant;
        operatorToken = api.IssueServiceAccountToken(variant.Namespace, variant.ServiceAccount);
        KubeconfigPath = kubeconfigPath;
    }

    public string? WhyUnavailable => null;

    public string KubeconfigPath { get; }

    public string PodImage => "registry.example/app:1";

    public TimeSpan Patience => TimeSpan.FromSeconds(30);

    // The Role for the Idler reconciler's Lease lives in the variant's namespace (the pod's).
    public IReadOnlyDictionary<string, string?> OperatorSettings => new Dictionary<string, string?>
    {
        ["LeaderElection:LeaseNamespace"] = variant.Namespace,
    };

    public static async Task<DoubleCluster> StartAsync()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var options = new KubernetesApiDoubleOptions { ReadyDelay = TimeSpan.FromMilliseconds(500) };
        options.CustomResourceDefinitions.Add(Repository.Combine("crds"));
        var api = await KubernetesApiDouble.StartAsync(options, cancellation);
        var variant = DeployVariants.WithMode("PerZone");
        using (var admin = api.CreateClient())
        {
            await variant.InstallAccessAsync(admin, cancellation);
        }

        var path = Path.Combine(Path.GetTempPath(), $"e2e-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, api.Kubeconfig, cancellation);
        return new DoubleCluster(api, variant, path);
    }

    public IKubernetes CreateClient(OperatorRequestCounter? counter = null) =>
        counter is null ? new Kubernetes(api.ClientConfiguration) : new Kubernetes(api.ClientConfiguration, counter);

    public IKubernetes CreateOperatorClient(OperatorRequestCounter counter) => new Kubernetes(api.ClientConfigurationFor(operatorToken), counter);

    // From the double's journal: every request of the operator's account that RBAC refused; and
    // none at all would mean the operator did not run as that account.
    public IReadOnlyList<string> RefusedOperatorRequests(OperatorRequestCounter counter)
    {
        var user = variant.OperatorUser.Name;
        return api.Requests.Where(request => request.User?.Name == user).Count == 0
            ? [$"no request was made as {user}"]
            : [.. OperatorAccessAudit.Of(api, variant).Refused.Select(request => $"{request.Method} {request.Path}{request.Query}")];
    }

    public async ValueTask DisposeAsync()
    {
        await api.DisposeAsync();
        File.Delete(KubeconfigPath);
    }
}
