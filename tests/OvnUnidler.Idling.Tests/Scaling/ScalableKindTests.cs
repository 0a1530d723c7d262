using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Tests.Scaling;

public sealed class ScalableKindTests
{
    [Theory]
    [InlineData("Rollout", "argoproj.io", null, "Rollout", "argoproj.io")]
    [InlineData("Rollout", null, "argoproj.io/v1alpha1", "Rollout", "argoproj.io")]
    [InlineData("Deployment", "apps", "extensions/v1beta1", "Deployment", "apps")]
    [InlineData("Deployment", null, null, "Deployment", "apps")]
    [InlineData("Deployment", "extensions", null, "Deployment", "apps")]
    [InlineData("ReplicaSet", null, "extensions/v1beta1", "ReplicaSet", "apps")]
    [InlineData("DeploymentConfig", null, "v1", "DeploymentConfig", "apps.openshift.io")]
    [InlineData("DeploymentConfig", null, null, "DeploymentConfig", "apps.openshift.io")]
    [InlineData("ReplicationController", null, "v1", "ReplicationController", "")]
    [InlineData("CloneSet", null, null, "CloneSet", "")]
    [InlineData("Deployment", "apps.openshift.io", null, "Deployment", "apps.openshift.io")]
    public void A_recorded_kind_keeps_its_group_and_maps_retired_groups_to_todays(string kind, string? group, string? apiVersion, string expectedKind, string expectedGroup)
    {
        var found = ScalableKind.Of(kind, group, apiVersion);

        Assert.Equal((expectedKind, expectedGroup), (found.Kind, found.Group));
    }

    [Fact]
    public void Only_deployment_configs_and_replication_controllers_carry_previous_scale()
    {
        Assert.Equal(
            [ScalableKind.ReplicationController, ScalableKind.DeploymentConfig],
            ScalableKind.WellKnown.Where(kind => kind.CarriesPreviousScale));
        Assert.False(ScalableKind.Of("ReplicationController", "apps").CarriesPreviousScale);
    }

    [Fact]
    public void The_kind_of_an_owner_reference_comes_from_its_api_version()
    {
        Assert.Equal(new ScalableKind("Rollout", "argoproj.io"), ScalableKind.FromApiVersion("argoproj.io/v1alpha1", "Rollout"));
        Assert.Equal(ScalableKind.ReplicaSet, ScalableKind.FromApiVersion("apps/v1", "ReplicaSet"));
        Assert.Equal(ScalableKind.ReplicationController, ScalableKind.FromApiVersion("v1", "ReplicationController"));
    }
}
