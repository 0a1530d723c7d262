namespace OvnUnidler.KubernetesDouble.ControllerManager;

// A pod the simulation considers running and ready; it exists only as endpoints, never as a
// Pod object in the store.
internal sealed record SimulatedPod(string Name, string Uid, string IPv4, string IPv6);
