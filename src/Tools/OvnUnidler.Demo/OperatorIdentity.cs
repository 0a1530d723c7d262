using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Manifests;

namespace OvnUnidler.Demo;

/// <summary>
/// The operator as a cluster would run it: deploy/per-zone rendered by real kustomize, its
/// namespace, service account, roles and bindings applied by the demo's cluster-admin, and a
/// kubeconfig holding the service account's token and the double's CA (HTTPS, as a pod reaches
/// its API server). The operator reaches the API double only through that kubeconfig, so every
/// request it makes is authorized by the shipped RBAC.
/// </summary>
public sealed class OperatorIdentity : IDisposable
{
    public const string VariantDirectory = "deploy/per-zone";

    private readonly KubernetesApiDouble api;
    private readonly DeployVariant variant;
    private readonly string kubeconfigPath;

    private OperatorIdentity(KubernetesApiDouble api, DeployVariant variant, string kubeconfigPath, Uri server)
    {
        Server = server;
        this.api = api;
        this.variant = variant;
        this.kubeconfigPath = kubeconfigPath;
    }

    /// <summary>The API server the kubeconfig names.</summary>
    public Uri Server { get; }

    /// <summary>system:serviceaccount:NAMESPACE:NAME, as the API server names the pod's account.</summary>
    public string User => $"system:serviceaccount:{variant.Namespace}:{variant.ServiceAccount}";

    /// <summary>The operator's settings for this identity: the kubeconfig, and the Leases in the pod's namespace (where the variant's Role for them is).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kubernetes:Kubeconfig"] = kubeconfigPath,
        ["LeaderElection:LeaseNamespace"] = variant.Namespace,
    };

    /// <summary>
    /// The variant rendered before anything starts, or null with the reason said: without kubectl
    /// (or outside a checkout) the demo cannot show the operator under its shipped roles.
    /// </summary>
    public static DeployVariant? Render(Narrator narrator)
    {
        if (DemoApi.Checkout is not { } checkout)
        {
            narrator.Say($"The demo runs from a checkout of ovn-unidler (no Operator.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}).");
            return null;
        }

        try
        {
            return DeployVariant.Render(checkout, VariantDirectory)
                ?? throw new InvalidOperationException($"{VariantDirectory} renders no DaemonSet or Deployment");
        }
        catch (KubectlMissingException missing)
        {
            narrator.Say($"The demo cannot run here: {missing.Message}. It runs the operator under the service account and roles that `kubectl apply -k {VariantDirectory}` installs.");
            return null;
        }
    }

    /// <summary>
    /// Applies the variant's access objects as cluster-admin, then writes the operator's kubeconfig
    /// (its service account's token) naming <paramref name="server"/>, one of the double's HTTPS
    /// listeners (its loopback one when null).
    /// </summary>
    public static async Task<OperatorIdentity> InstallAsync(KubernetesApiDouble api, DeployVariant variant, CancellationToken cancellationToken, Uri? server = null)
    {
        using (var admin = api.CreateClient())
        {
            await variant.InstallAccessAsync(admin, cancellationToken).ConfigureAwait(false);
        }

        var path = Path.Combine(Path.GetTempPath(), $"ovn-unidler-demo-kubeconfig-{Guid.NewGuid():N}.yaml");
        // A kubeconfig holds a credential: readable by its owner only, as kubectl writes its own.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new StreamWriter(path, create))
        {
            await file.WriteAsync(api.HttpsKubeconfigFor(api.IssueServiceAccountToken(variant.Namespace, variant.ServiceAccount), server ?? api.HttpsAddress).AsMemory(), cancellationToken)
                .ConfigureAwait(false);
        }

        return new OperatorIdentity(api, variant, path, server ?? api.HttpsAddress);
    }

    public string DescribeInstall() =>
        $"  {variant.Directory} (kubectl kustomize): {string.Join(", ", variant.AccessObjects.Select(Describe))}; the operator runs as {User}";

    /// <summary>
    /// Says what the API double's journal holds of the operator's account: its requests, and those
    /// RBAC refused. False when one was refused, or none was made as the account at all.
    /// </summary>
    public bool SayAudit(Narrator narrator)
    {
        var requests = api.Requests.Where(request => request.User?.Name == User);
        var refused = requests.Where(request => request.StatusCode == 403).Select(request => $"{request.Verb} {request.Path}").Distinct().ToList();
        var ok = requests.Count > 0 && refused.Count == 0;
        narrator.Say(ok
            ? $"  the operator made {requests.Count} API requests as {User}; the roles of {variant.Directory} refused none"
            : $"  RBAC: {requests.Count} requests as {User}, refused: [{string.Join("; ", refused)}]");
        return ok;
    }

    public void Dispose() => File.Delete(kubeconfigPath);

    private static string Describe(object item) => item is IKubernetesObject<V1ObjectMeta> typed
        ? $"{typed.Kind} {(typed.Metadata.NamespaceProperty is { } ns ? $"{ns}/" : "")}{typed.Metadata.Name}"
        : item.ToString() ?? "";
}
