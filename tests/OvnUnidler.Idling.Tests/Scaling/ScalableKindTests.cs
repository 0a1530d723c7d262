using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Tests.Scaling;

public sealed class ScalableKindTests
{
    [Theory]
    [InlineData("Deployment", "apps", "v1", "deployments")]
    [InlineData("StatefulSet", "apps", "v1", "statefulsets")]
    [InlineData("ReplicaSet", "apps", "v1", "replicasets")]
    [InlineData("ReplicationController", "", "v1", "replicationcontrollers")]
    [InlineData("DeploymentConfig", "apps.openshift.io", "v1", "deploymentconfigs")]
    public void Each_kind_maps_to_its_api_group_version_and_plural(string kind, string group, string version, string plural)
    {
        var found = ScalableKind.Find(kind, null);

        Assert.Equal((group, version, plural), (found!.Group, found.Version, found.Plural));
    }

    [Fact]
    public void Only_deployment_configs_and_replication_controllers_carry_previous_scale()
    {
        Assert.Equal(
            [ScalableKind.ReplicationController, ScalableKind.DeploymentConfig],
            ScalableKind.All.Where(kind => kind.CarriesPreviousScale));
    }

    [Theory]
    [InlineData("CronJob", null)]
    [InlineData("Deployment", "apps.openshift.io")]
    [InlineData("StatefulSet", "extensions")]
    [InlineData("ReplicationController", "apps")]
    public void Unknown_kinds_and_foreign_groups_resolve_to_nothing(string kind, string? group)
    {
        Assert.Null(ScalableKind.Find(kind, group));
    }
}
