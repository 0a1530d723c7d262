using k8s.Models;
using OvnUnidler.Deploy.Tests.Manifests;

namespace OvnUnidler.Deploy.Tests.Rbac;

/// <summary>
/// What one service account may do in a rendered variant of deploy/: every rule of every role bound
/// to it (ClusterRoleBinding: in all namespaces; RoleBinding: in that namespace), flattened to
/// <see cref="RbacPermission"/>s. For comparing with requests the operator made, e.g. the API
/// double's journal: <c>rules.Allows(r.Verb, r.Group, r.Resource, r.Subresource, r.Namespace, r.Name)</c>.
/// </summary>
public sealed class ClusterRoleRules
{
    private ClusterRoleRules(IReadOnlyList<RbacPermission> permissions) => Permissions = permissions;

    /// <summary>Everything the account may do: cluster-wide and namespaced.</summary>
    public IReadOnlyList<RbacPermission> Permissions { get; }

    /// <summary>The cluster-wide part as (group, resource, subresource, verb), names ignored.</summary>
    public IReadOnlySet<(string Group, string Resource, string? Subresource, string Verb)> ClusterWide =>
        Permissions.Where(permission => permission.Namespace is null)
            .Select(permission => (permission.Group, permission.Resource, permission.Subresource, permission.Verb))
            .ToHashSet();

    /// <summary>The operator's account in a variant: "deploy" (per zone), "deploy/central", "deploy/openshift".</summary>
    public static ClusterRoleRules Load(string variant, string @namespace = "ovn-unidler", string serviceAccount = "ovn-unidler") =>
        For(Variants.Get(variant), @namespace, serviceAccount);

    public static ClusterRoleRules For(BuiltManifests manifests, string @namespace, string serviceAccount)
    {
        var clusterRoles = manifests.All<V1ClusterRole>().ToDictionary(role => role.Metadata.Name);
        var roles = manifests.All<V1Role>().ToDictionary(role => (role.Metadata.NamespaceProperty, role.Metadata.Name));
        var permissions = new List<RbacPermission>();
        foreach (var binding in manifests.All<V1ClusterRoleBinding>().Where(binding => Binds(binding.Subjects, @namespace, serviceAccount)))
        {
            var role = binding.RoleRef.Kind == "ClusterRole" && clusterRoles.TryGetValue(binding.RoleRef.Name, out var found)
                ? found
                : throw new InvalidOperationException($"ClusterRoleBinding {binding.Metadata.Name} refers to {binding.RoleRef.Kind} {binding.RoleRef.Name}, which {manifests.Variant} does not contain");
            permissions.AddRange(Flatten(role.Rules, null));
        }

        foreach (var binding in manifests.All<V1RoleBinding>().Where(binding => Binds(binding.Subjects, @namespace, serviceAccount)))
        {
            var bindingNamespace = binding.Metadata.NamespaceProperty;
            IList<V1PolicyRule> rules = binding.RoleRef.Kind switch
            {
                "Role" when roles.TryGetValue((bindingNamespace, binding.RoleRef.Name), out var role) => role.Rules,
                "ClusterRole" when clusterRoles.TryGetValue(binding.RoleRef.Name, out var clusterRole) => clusterRole.Rules,
                _ => throw new InvalidOperationException($"RoleBinding {bindingNamespace}/{binding.Metadata.Name} refers to {binding.RoleRef.Kind} {binding.RoleRef.Name}, which {manifests.Variant} does not contain"),
            };
            permissions.AddRange(Flatten(rules, bindingNamespace));
        }

        return new ClusterRoleRules([.. permissions.Distinct()]);
    }

    public bool Allows(string verb, string group, string resource, string? subresource, string? @namespace, string? name) =>
        Permissions.Any(permission => permission.Allows(verb, group, resource, subresource, @namespace, name));

    public static IEnumerable<RbacPermission> Flatten(IEnumerable<V1PolicyRule> rules, string? @namespace)
    {
        foreach (var rule in rules)
        {
            if (rule.NonResourceURLs is { Count: > 0 })
            {
                throw new NotSupportedException("non-resource URLs are not modelled");
            }

            IEnumerable<string?> names = rule.ResourceNames is { Count: > 0 } listed ? listed : [null];
            foreach (var group in rule.ApiGroups ?? [])
            {
                foreach (var resource in rule.Resources ?? [])
                {
                    var slash = resource.IndexOf('/', StringComparison.Ordinal);
                    var (plural, subresource) = slash < 0 ? (resource, null) : (resource[..slash], resource[(slash + 1)..]);
                    foreach (var verb in rule.Verbs ?? [])
                    {
                        foreach (var name in names)
                        {
                            yield return new RbacPermission(group, plural, subresource, verb, @namespace, name);
                        }
                    }
                }
            }
        }
    }

    private static bool Binds(IEnumerable<Rbacv1Subject>? subjects, string @namespace, string serviceAccount) =>
        subjects?.Any(subject => subject.Kind == "ServiceAccount" && subject.Name == serviceAccount && subject.NamespaceProperty == @namespace) == true;
}
