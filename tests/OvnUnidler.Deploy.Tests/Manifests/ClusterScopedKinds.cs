namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>Kinds that live outside namespaces (kustomize knows these and never sets a namespace on them).</summary>
public static class ClusterScopedKinds
{
    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass",
        "SecurityContextConstraints", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService",
    };

    public static bool Contains(string kind) => Kinds.Contains(kind);
}
