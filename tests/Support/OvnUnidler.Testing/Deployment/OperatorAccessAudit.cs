using OvnUnidler.KubernetesDouble;
using OvnUnidler.KubernetesDouble.Authorization;
using OvnUnidler.KubernetesDouble.Journal;
using OvnUnidler.Manifests;

namespace OvnUnidler.Testing.Deployment;

/// <summary>
/// What the API double's journal says about the operator's account in one variant: the requests
/// RBAC refused, and the rules the variant binds to the account that no request of the operator
/// needed (least privilege: each rule is split into one verb, one resource and one name, and each
/// part must have allowed some request). SCC "use" rules are left out: OpenShift's admission
/// checks them when it admits the pod, no API request of the operator does.
/// </summary>
public sealed record OperatorAccessAudit(IReadOnlyList<RecordedRequest> Refused, IReadOnlyList<string> UnusedRules)
{
    public static OperatorAccessAudit Of(KubernetesApiDouble api, DeployVariant variant)
    {
        var user = variant.OperatorUser;
        var requests = api.Requests.Where(request => request.User?.Name == user.Name);
        var allowed = requests.Where(request => request.Authorization is { Allowed: true } && request.Attributes is not null).ToList();
        var refused = requests.Where(request => request.Authorization is { Allowed: false } || request.StatusCode == 403).ToList();
        var unused = new List<string>();
        foreach (var bound in api.RulesBoundTo(user).Where(rule => variant.BindingNames.Contains(rule.BindingName) && !OnlyAdmissionUses(rule.Rule)))
        {
            foreach (var part in bound.Rule.Expand())
            {
                var narrowed = bound with { Rule = part };
                if (!allowed.Any(request => narrowed.Allows(request.Attributes!)))
                {
                    unused.Add($"{part} (from {bound.BindingKind} {bound.BindingName}, {bound.RoleKind} {bound.RoleName})");
                }
            }
        }

        return new OperatorAccessAudit(refused, unused);
    }

    public string Describe() =>
        $"refused: [{string.Join("; ", Refused.Select(request => $"{request.Method} {request.Path}{request.Query} -> {request.StatusCode}"))}]; "
        + $"unused: [{string.Join("; ", UnusedRules)}]";

    private static bool OnlyAdmissionUses(PolicyRule rule) =>
        rule.Verbs.SequenceEqual(["use"]) && rule.ApiGroups.SequenceEqual(["security.openshift.io"]) && rule.Resources.SequenceEqual(["securitycontextconstraints"]);
}
