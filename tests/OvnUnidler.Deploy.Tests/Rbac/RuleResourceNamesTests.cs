using OvnUnidler.Deploy.Tests.Manifests;

namespace OvnUnidler.Deploy.Tests.Rbac;

public sealed class RuleResourceNamesTests
{
    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Every_resource_name_of_a_role_names_an_object_of_the_rules_own_type(string variant)
    {
        var manifests = Variants.Get(variant);

        var (count, problems) = RuleResourceNames.Check(manifests, OperatorLeases.Of(OperatorWorkload.In(manifests)));

        Assert.True(count > 0, $"{variant} limits no rule to names: the check saw nothing");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>deploy/ as rendered before the generated ConfigMap was renamed: its Lease rule named the ConfigMap.</summary>
    [Fact]
    public void Rejects_the_central_lease_rule_that_kustomize_pointed_at_the_configmap()
    {
        var broken = BuiltManifests.Load("Fixtures/BrokenRbac/central.yaml");

        var (_, problems) = RuleResourceNames.Check(broken, OperatorLeases.Of(OperatorWorkload.In(broken)));

        var problem = Assert.Single(problems);
        Assert.Contains("Role ovn-unidler/ovn-unidler-leases limits coordination.k8s.io/leases to 'ovn-unidler-bgm8b4g85d'", problem, StringComparison.Ordinal);
        Assert.Contains("the ConfigMap ovn-unidler/ovn-unidler-bgm8b4g85d", problem, StringComparison.Ordinal);
    }

    /// <summary>deploy/openshift as rendered then: its pods could use no SCC, which no API request of the operator reveals.</summary>
    [Fact]
    public void Rejects_the_openshift_scc_rule_that_kustomize_pointed_at_the_configmap()
    {
        var broken = BuiltManifests.Load("Fixtures/BrokenRbac/openshift.yaml");

        var (_, problems) = RuleResourceNames.Check(broken, OperatorLeases.Of(OperatorWorkload.In(broken)));

        var problem = Assert.Single(problems);
        Assert.Contains("ClusterRole ovn-unidler-scc limits security.openshift.io/securitycontextconstraints to 'ovn-unidler-9m286665kg'", problem, StringComparison.Ordinal);
        Assert.Contains("the ConfigMap ovn-unidler/ovn-unidler-9m286665kg", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_lease_the_configuration_does_not_campaign_for_although_another_kind_has_that_name()
    {
        var central = Variants.Get(Variants.Central);
        var perZone = OperatorLeases.Of(OperatorWorkload.In(Variants.Get(Variants.PerZone)));

        // Per zone the pipeline elects no leader: "ovn-unidler" is then only the service account's and ClusterRole's name.
        var (_, problems) = RuleResourceNames.Check(central, perZone);

        var problem = Assert.Single(problems);
        Assert.Contains("limits coordination.k8s.io/leases to 'ovn-unidler',", problem, StringComparison.Ordinal);
        Assert.Contains("the ServiceAccount ovn-unidler/ovn-unidler", problem, StringComparison.Ordinal);
        Assert.Equal(["ovn-unidler-controllers"], perZone.Names);
    }
}
