using k8s.Models;
using OvnUnidler.Deploy.Tests.Manifests;

namespace OvnUnidler.Deploy.Tests.Rbac;

public sealed class RbacTests
{
    // What the operator's roles grant is judged by running it: tests/OvnUnidler.Operator.Tests,
    // Hosting/RbacTests (every request allowed, every rule used). What no request can use is checked here.
    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void No_role_of_the_operator_has_a_wildcard_and_an_scc_use_is_limited_to_its_name(string variant)
    {
        var permissions = ClusterRoleRules.Load(variant).Permissions;

        Assert.All(permissions, permission =>
        {
            Assert.DoesNotContain("*", new[] { permission.Group, permission.Resource, permission.Subresource, permission.Verb, permission.ResourceName });
            // "use" of an SCC (deploy/openshift) is how OpenShift admits the pod, not an API call.
            if (permission.Verb == "use")
            {
                Assert.Equal(("security.openshift.io", "securitycontextconstraints"), (permission.Group, permission.Resource));
                Assert.NotNull(permission.ResourceName);
            }
        });
    }

    [Fact]
    public void Namespace_users_get_idlers_through_aggregation_and_the_operator_gets_only_its_own_role()
    {
        var manifests = Variants.Get(Variants.Central);
        var aggregated = manifests.All<V1ClusterRole>().Where(role => role.Metadata.Labels.Keys.Any(key => key.StartsWith("rbac.authorization.k8s.io/aggregate-to-", StringComparison.Ordinal))).ToList();
        var bound = manifests.All<V1ClusterRoleBinding>().Select(binding => binding.RoleRef.Name).Concat(manifests.All<V1RoleBinding>().Select(binding => binding.RoleRef.Name));

        Assert.Equal(["ovn-unidler-idlers-edit", "ovn-unidler-idlers-view"], aggregated.Select(role => role.Metadata.Name).Order());
        Assert.All(aggregated.SelectMany(role => role.Rules), rule =>
        {
            Assert.Equal(["unidler.ovn.org"], rule.ApiGroups);
            Assert.All(rule.Resources, resource => Assert.StartsWith("idlers", resource, StringComparison.Ordinal));
        });
        Assert.DoesNotContain(bound, name => aggregated.Any(role => role.Metadata.Name == name));
    }
}
