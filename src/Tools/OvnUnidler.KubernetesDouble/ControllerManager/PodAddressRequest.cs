namespace OvnUnidler.KubernetesDouble.ControllerManager;

// The pod asking for addresses: its namespace, name, labels and the workload that owns it.
public sealed record PodAddressRequest(string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, string OwnerKind, string OwnerName);
