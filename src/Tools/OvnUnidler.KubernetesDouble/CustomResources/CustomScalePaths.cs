namespace OvnUnidler.KubernetesDouble.CustomResources;

// subresources.scale of a CRD version: where spec.replicas, status.replicas and status.selector
// of the autoscaling/v1 Scale live in the custom resource (".spec.replicas" style paths).
internal sealed record CustomScalePaths(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);
