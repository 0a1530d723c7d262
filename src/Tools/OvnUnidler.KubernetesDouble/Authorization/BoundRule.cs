namespace OvnUnidler.KubernetesDouble.Authorization;

// A rule granted to a subject and where it comes from: the binding (a ClusterRoleBinding, which
// grants it in every namespace and at the cluster scope, or a RoleBinding, which grants it in its
// namespace only) and the role the binding refers to.
public sealed record BoundRule(string BindingKind, string? BindingNamespace, string BindingName, string RoleKind, string RoleName, int RuleIndex, PolicyRule Rule)
{
    // Where the rule applies: null for everywhere (a ClusterRoleBinding).
    public string? Namespace => BindingKind == "RoleBinding" ? BindingNamespace : null;

    // RBAC applies a rule to a request when the rule matches it and the binding covers its
    // namespace; a RoleBinding never covers cluster-scoped or non-resource requests.
    public bool Allows(RequestAttributes request) =>
        (Namespace is null || (request.IsResourceRequest && request.Namespace == Namespace)) && Rule.Allows(request);

    public override string ToString() =>
        $"{BindingKind} \"{(BindingNamespace is null ? "" : BindingNamespace + "/")}{BindingName}\" of {RoleKind} \"{RoleName}\" rule {RuleIndex}: {Rule}";
}
