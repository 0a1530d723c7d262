using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

internal sealed record WorkloadKey(ResourceType Type, string Namespace, string Name);
