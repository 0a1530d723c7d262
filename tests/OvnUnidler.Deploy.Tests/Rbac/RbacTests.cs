using k8s.Models;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Deploy.Tests.Rbac;

public sealed class RbacTests
{
    public static TheoryData<string> OperatorVariants => [Variants.Root, Variants.Central, Variants.PerZone];

    [Theory]
    [MemberData(nameof(OperatorVariants))]
    public void The_operators_account_may_do_exactly_what_the_operator_calls(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var leases = OperatorLeases.Of(workload);
        var granted = ClusterRoleRules.For(workload.Manifests, Variants.Namespace, Variants.ServiceAccount).Permissions.ToHashSet();
        var needed = OperatorApiCalls.Permissions(leases.Namespace, leases.Names);

        Assert.True(needed.IsSubsetOf(granted), $"needed but not granted: {string.Join("; ", needed.Except(granted))}");
        Assert.True(granted.IsSubsetOf(needed), $"granted but never needed: {string.Join("; ", granted.Except(needed))}");
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void No_role_of_the_operator_has_a_wildcard_or_a_verb_the_operator_does_not_use(string variant)
    {
        var permissions = ClusterRoleRules.Load(variant).Permissions;

        Assert.All(permissions, permission =>
        {
            Assert.DoesNotContain("*", new[] { permission.Group, permission.Resource, permission.Subresource, permission.Verb, permission.ResourceName });
            // "use" of an SCC (deploy/openshift) is how OpenShift admits the pod, not an API call, and is limited to one name.
            var allowed = OperatorApiCalls.Verbs.Contains(permission.Verb)
                || (permission is { Verb: "use", Group: "security.openshift.io", Resource: "securitycontextconstraints", ResourceName: not null });
            Assert.True(allowed, $"{variant} grants {permission}");
        });
        Assert.Equal(["create", "get", "list", "patch", "update", "watch"], OperatorApiCalls.Verbs.Order());
    }

    [Fact]
    public void Every_kubernetes_call_in_the_source_is_granted_or_shown_unreachable()
    {
        var inSource = SourceApiCalls.Find();
        var known = OperatorApiCalls.All.Select(call => call.CallSite).Concat(OperatorApiCalls.Unreachable.Select(entry => entry.CallSite)).ToHashSet();
        var unknown = inSource.Where(call => !known.Contains(call.Key)).Select(call => $"{call.Key} ({string.Join(", ", call.Value)})").ToList();

        Assert.NotEmpty(inSource);
        Assert.True(unknown.Count == 0, $"new Kubernetes calls: add each to Rbac/OperatorApiCalls and deploy/common's roles: {string.Join("; ", unknown)}");
    }

    [Fact]
    public void Every_granted_call_still_occurs_in_the_source()
    {
        var inSource = SourceApiCalls.Find();
        var stale = OperatorApiCalls.All.Select(call => call.CallSite).Concat(OperatorApiCalls.Unreachable.Select(entry => entry.CallSite))
            .Distinct().Where(site => !inSource.ContainsKey(site)).ToList();

        Assert.True(stale.Count == 0, $"no longer in the source; drop them from Rbac/OperatorApiCalls and deploy/: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Calls_left_ungranted_stay_unreachable_and_the_annotated_kinds_are_granted_their_patch()
    {
        Assert.All(OperatorApiCalls.Unreachable, entry => Assert.True(entry.StillUnreachable(), $"{entry.CallSite} is reachable now ({entry.Why} no longer holds): grant it"));
        Assert.Equal([ScalableKind.ReplicationController, ScalableKind.DeploymentConfig], ScalableKind.All.Where(kind => kind.CarriesPreviousScale));
        Assert.All(ScalableKind.All.Where(kind => kind.CarriesPreviousScale), kind =>
            Assert.Contains(OperatorApiCalls.All, call => call.Group == kind.Group && call.Resource == kind.Plural && call.Subresource is null && call.Verb == "patch"));
        Assert.All(ScalableKind.All, kind =>
            Assert.Contains(OperatorApiCalls.All, call => call.Group == kind.Group && call.Resource == kind.Plural && call.Subresource == "scale" && call.Verb == "update"));
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
