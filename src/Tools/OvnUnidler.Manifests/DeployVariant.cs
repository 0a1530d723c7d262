using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace OvnUnidler.Manifests;

/// <summary>
/// One install variant of deploy/ as real kustomize renders it: the operator's workload (its
/// namespace, service account and mode) and the access-control objects (namespaces, service
/// accounts, roles and bindings) that its admin installs before the operator runs: the identity
/// the demo and the tests run the operator under in the API double.
/// </summary>
public sealed partial class DeployVariant
{
    private static readonly string[] AccessKinds = ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];

    private DeployVariant(string directory, string rendered, IReadOnlyList<object> accessObjects, string @namespace, string serviceAccount, string mode)
    {
        Directory = directory;
        Rendered = rendered;
        AccessObjects = accessObjects;
        Namespace = @namespace;
        ServiceAccount = serviceAccount;
        Mode = mode;
    }

    /// <summary>The directory, relative to the repository ("deploy/per-zone").</summary>
    public string Directory { get; }

    public string Rendered { get; }

    public IReadOnlyList<object> AccessObjects { get; }

    public string Namespace { get; }

    public string ServiceAccount { get; }

    /// <summary>Unidler__Mode of the operator's container: Central or PerZone.</summary>
    public string Mode { get; }

    /// <summary>The names of the ClusterRoleBindings and RoleBindings the variant ships.</summary>
    public IReadOnlySet<string> BindingNames =>
        AccessObjects.OfType<V1ClusterRoleBinding>().Select(binding => binding.Metadata.Name)
            .Concat(AccessObjects.OfType<V1RoleBinding>().Select(binding => binding.Metadata.Name)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every kustomization under deploy/ that runs the operator; variants that render the same manifests (deploy/ and the directory it includes) count once.</summary>
    public static IReadOnlyList<DeployVariant> RenderAll(string repositoryRoot)
    {
        var variants = new List<DeployVariant>();
        foreach (var directory in Directories(repositoryRoot))
        {
            if (Render(repositoryRoot, directory) is { } variant && variants.All(other => other.Rendered != variant.Rendered))
            {
                variants.Add(variant);
            }
        }

        return variants;
    }

    /// <summary>The kustomization directories under deploy/, relative to the repository ("deploy/per-zone"), in order.</summary>
    public static IEnumerable<string> Directories(string repositoryRoot) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(repositoryRoot, "deploy"), "kustomization.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(repositoryRoot, Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>The variant in <paramref name="directory"/> ("deploy/per-zone") rendered, or null when it runs no operator (no Deployment or DaemonSet).</summary>
    public static DeployVariant? Render(string repositoryRoot, string directory)
    {
        var rendered = Kustomize.Build(Path.Combine([repositoryRoot, .. directory.Split('/')]));
        var documents = rendered.Split("\n---\n").Where(document => document.Trim().Length > 0).ToList();
        var workload = documents.SingleOrDefault(document => KindOf(document) is "Deployment" or "DaemonSet");
        if (workload is null)
        {
            return null;
        }

        var pod = KindOf(workload) == "Deployment"
            ? KubernetesYaml.Deserialize<V1Deployment>(workload) is var deployment ? (deployment.Metadata, deployment.Spec.Template.Spec) : default
            : KubernetesYaml.Deserialize<V1DaemonSet>(workload) is var daemonSet ? (daemonSet.Metadata, daemonSet.Spec.Template.Spec) : default;
        var mode = pod.Spec.Containers.Single().Env.Single(variable => variable.Name == "Unidler__Mode").Value;
        var access = documents.Where(document => AccessKinds.Contains(KindOf(document))).Select(Deserialize).ToList();
        return new DeployVariant(directory, rendered, access, pod.Metadata.NamespaceProperty, pod.Spec.ServiceAccountName, mode);
    }

    /// <summary>Creates the variant's namespaces, service accounts, roles and bindings, as its admin would install them.</summary>
    public async Task InstallAccessAsync(IKubernetes admin, CancellationToken cancellationToken)
    {
        foreach (var item in AccessObjects)
        {
            var created = item switch
            {
                V1Namespace ns => admin.CoreV1.CreateNamespaceAsync(ns, cancellationToken: cancellationToken) as Task,
                V1ServiceAccount account => admin.CoreV1.CreateNamespacedServiceAccountAsync(account, account.Metadata.NamespaceProperty, cancellationToken: cancellationToken),
                V1ClusterRole role => admin.RbacAuthorizationV1.CreateClusterRoleAsync(role, cancellationToken: cancellationToken),
                V1ClusterRoleBinding binding => admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding, cancellationToken: cancellationToken),
                V1Role role => admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, role.Metadata.NamespaceProperty, cancellationToken: cancellationToken),
                V1RoleBinding binding => admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, binding.Metadata.NamespaceProperty, cancellationToken: cancellationToken),
                _ => throw new InvalidOperationException($"not an access object: {item}"),
            };
            await created.ConfigureAwait(false);
        }
    }

    public override string ToString() => Directory;

    private static object Deserialize(string document) => KindOf(document) switch
    {
        "Namespace" => KubernetesYaml.Deserialize<V1Namespace>(document),
        "ServiceAccount" => KubernetesYaml.Deserialize<V1ServiceAccount>(document),
        "ClusterRole" => KubernetesYaml.Deserialize<V1ClusterRole>(document),
        "ClusterRoleBinding" => KubernetesYaml.Deserialize<V1ClusterRoleBinding>(document),
        "Role" => KubernetesYaml.Deserialize<V1Role>(document),
        "RoleBinding" => KubernetesYaml.Deserialize<V1RoleBinding>(document),
        var other => throw new InvalidOperationException($"not an access kind: {other}"),
    };

    private static string KindOf(string document) => TopLevelKind().Match(document) is { Success: true } match ? match.Groups[1].Value : "";

    [GeneratedRegex(@"^kind: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TopLevelKind();
}
