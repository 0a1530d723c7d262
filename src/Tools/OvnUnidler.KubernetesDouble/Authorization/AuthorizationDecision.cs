namespace OvnUnidler.KubernetesDouble.Authorization;

// RBAC's answer for one request. An allowed request names the rule that allowed it (the first
// that matched, in the order the authorizer visits bindings); a denied one has none.
public sealed record AuthorizationDecision(bool Allowed, BoundRule? AllowedBy)
{
    public static AuthorizationDecision Deny { get; } = new(false, null);

    // As the API server words it in its audit annotations ("RBAC: allowed by ...").
    public string Reason => AllowedBy is { } rule
        ? $"RBAC: allowed by {rule.BindingKind} \"{rule.BindingName}\" of {rule.RoleKind} \"{rule.RoleName}\""
        : "";
}
