using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Tests.Scaling;

public sealed class WorkloadDiscoveryTests
{
    private static Workload Workload(ScalableKind kind, Dictionary<string, string> labels, string? controller = null, Dictionary<string, string>? annotations = null) =>
        new(kind, "w", 1, labels, annotations ?? [], controller);

    [Fact]
    public void A_selector_selects_templates_carrying_all_its_labels()
    {
        var selector = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" };

        Assert.True(WorkloadDiscovery.Selects(selector, Workload(ScalableKind.Deployment, new() { ["app"] = "web", ["tier"] = "front", ["extra"] = "x" })));
        Assert.False(WorkloadDiscovery.Selects(selector, Workload(ScalableKind.Deployment, new() { ["app"] = "web" })));
        Assert.False(WorkloadDiscovery.Selects(selector, Workload(ScalableKind.Deployment, new() { ["app"] = "web", ["tier"] = "back" })));
        Assert.False(WorkloadDiscovery.Selects(new Dictionary<string, string>(), Workload(ScalableKind.Deployment, new() { ["app"] = "web" })));
    }

    [Fact]
    public void Replica_sets_of_deployments_and_controllers_of_deployment_configs_are_left_to_their_owner()
    {
        Assert.True(WorkloadDiscovery.IsManagedByParent(Workload(ScalableKind.ReplicaSet, [], "Deployment")));
        Assert.True(WorkloadDiscovery.IsManagedByParent(Workload(ScalableKind.ReplicationController, [], "DeploymentConfig")));
        Assert.True(WorkloadDiscovery.IsManagedByParent(Workload(ScalableKind.ReplicationController, [], annotations: new() { ["openshift.io/deployment-config.name"] = "dc" })));
        Assert.False(WorkloadDiscovery.IsManagedByParent(Workload(ScalableKind.ReplicaSet, [])));
        Assert.False(WorkloadDiscovery.IsManagedByParent(Workload(ScalableKind.ReplicationController, [])));
        Assert.False(WorkloadDiscovery.IsManagedByParent(Workload(ScalableKind.StatefulSet, [], "SomeOperator")));
    }
}
