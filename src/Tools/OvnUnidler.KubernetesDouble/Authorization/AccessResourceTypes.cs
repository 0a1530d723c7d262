using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Authorization;

// The resources of access control the double serves like any other kind (CRUD, list, watch):
// rbac.authorization.k8s.io/v1 roles and bindings, and core/v1 ServiceAccounts, which they name.
internal static class AccessResourceTypes
{
    public const string RbacGroup = "rbac.authorization.k8s.io";

    public static IEnumerable<ResourceType> All { get; } =
    [
        new(RbacGroup, "v1", "roles", "Role", Namespaced: true),
        new(RbacGroup, "v1", "rolebindings", "RoleBinding", Namespaced: true),
        new(RbacGroup, "v1", "clusterroles", "ClusterRole", Namespaced: false),
        new(RbacGroup, "v1", "clusterrolebindings", "ClusterRoleBinding", Namespaced: false),
        new("", "v1", "serviceaccounts", "ServiceAccount", Namespaced: true),
    ];

    // RBAC object names are path segments, not DNS subdomains ("system:discovery" is valid).
    public static string? CheckRbacName(string name) =>
        name.Length > 0 && name is not ("." or "..") && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('%', StringComparison.Ordinal)
            ? null
            : "may not be '.' or '..' and may not contain '/' or '%'";
}
