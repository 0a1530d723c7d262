using System.Net;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// Pod addresses, never reused while the double runs: IPv4 from 10.128.0.0/14 (OpenShift's
// default cluster network) and IPv6 from fd00:10:128::/64. Each simulated pod gets one of each,
// as on a dual-stack cluster; an EndpointSlice takes the family of its Service.
internal sealed class PodIpPool
{
    private const uint Ipv4Base = (10u << 24) | (128u << 16);
    private const uint Ipv4Size = 1u << 18;
    private long next = 10;

    public (string IPv4, string IPv6) Allocate()
    {
        var index = Interlocked.Increment(ref next);
        if (index >= Ipv4Size)
        {
            throw new InvalidOperationException("The simulated pod network 10.128.0.0/14 is exhausted.");
        }

        var address = Ipv4Base + (uint)index;
        var ipv4 = new IPAddress([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]).ToString();
        return (ipv4, $"fd00:10:128::{index:x}");
    }
}
