using k8s.Models;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>The one workload of a variant (its Deployment or DaemonSet), its pod and the operator's container.</summary>
public sealed record OperatorWorkload(BuiltManifests Manifests, string Kind, V1ObjectMeta Metadata, V1PodTemplateSpec Template)
{
    public V1PodSpec Pod => Template.Spec;

    public V1Container Container => Pod.Containers.Single();

    public static OperatorWorkload Of(string variant) => In(Variants.Get(variant));

    public static OperatorWorkload In(BuiltManifests manifests)
    {
        var workloads = manifests.All<V1Deployment>().Select(deployment => new OperatorWorkload(manifests, "Deployment", deployment.Metadata, deployment.Spec.Template))
            .Concat(manifests.All<V1DaemonSet>().Select(daemonSet => new OperatorWorkload(manifests, "DaemonSet", daemonSet.Metadata, daemonSet.Spec.Template)))
            .ToList();
        return workloads.Count == 1 ? workloads[0] : throw new InvalidOperationException($"{manifests.Variant} has {workloads.Count} workloads, not one");
    }

    public string? Env(string name) => Container.Env?.SingleOrDefault(variable => variable.Name == name) switch
    {
        null => null,
        { Value: { } value } => value,
        { ValueFrom.FieldRef.FieldPath: { } field } => $"fieldRef:{field}",
        _ => throw new InvalidOperationException($"env {name} is neither a value nor a fieldRef"),
    };

    public V1ContainerPort Port(IntOrString port) =>
        Container.Ports.SingleOrDefault(candidate => port.Value == candidate.Name || port.Value == candidate.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
        ?? throw new InvalidOperationException($"{Manifests.Variant}: the container has no port {port.Value}");

    public V1VolumeMount MountOf(V1Volume volume) => Container.VolumeMounts.Single(mount => mount.Name == volume.Name);
}
