using System.Net;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// The default pod addresses, never reused while the double runs: IPv4 from 10.128.0.0/14
// (OpenShift's default cluster network) and IPv6 from fd00:10:128::/64, one of each per pod, as
// on a dual-stack cluster.
public sealed class PodIpPool : IPodAddressAllocator
{
    private const uint Ipv4Base = (10u << 24) | (128u << 16);
    private const uint Ipv4Size = 1u << 18;
    private long next = 10;

    public PodAddresses Allocate(PodAddressRequest request)
    {
        var index = Interlocked.Increment(ref next);
        if (index >= Ipv4Size)
        {
            throw new InvalidOperationException("The simulated pod network 10.128.0.0/14 is exhausted.");
        }

        var address = Ipv4Base + (uint)index;
        var ipv4 = new IPAddress([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]).ToString();
        return new PodAddresses(ipv4, $"fd00:10:128::{index:x}");
    }

    public void Release(PodAddresses addresses)
    {
        // Addresses are never reused, so a stale EndpointSlice can never point at another pod.
    }
}
