namespace OvnUnidler.KubernetesDouble.ControllerManager;

// Gives each pod the simulated controllers start its addresses (what the CNI does on a real
// node). The default hands out addresses from a simulated pod network; a lab whose pods are real
// network namespaces plugs in its own, so EndpointSlices point at addresses that answer.
public interface IPodAddressAllocator
{
    PodAddresses Allocate(PodAddressRequest request);

    void Release(PodAddresses addresses);
}
