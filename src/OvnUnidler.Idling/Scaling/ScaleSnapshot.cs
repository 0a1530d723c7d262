namespace OvnUnidler.Idling.Scaling;

// A workload's scale subresource as read: spec.replicas and the resourceVersion that makes the
// next write conditional (the scale shares its parent's resourceVersion).
public sealed record ScaleSnapshot(int Replicas, string ResourceVersion)
{
    // The Scale's apiVersion as the server sent it, written back unchanged (OpenShift has served
    // DeploymentConfig scales as extensions/v1beta1 as well as autoscaling/v1).
    public string ApiVersion { get; init; } = "autoscaling/v1";
}
