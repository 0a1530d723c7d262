using System.Net;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// A pod for the operator: an ordinary lab pod (its own address on a node switch, bound to a
/// logical port, so that a load balancer can point at it and OVN's conntrack un-NATs the replies),
/// plus a second link "api0" to the host at <see cref="HostLinkAddress"/>, through which it reaches
/// what listens on the host (the API double) at <see cref="HostAddress"/>, as a pod reaches its API server.
/// </summary>
public sealed class LabOperatorPod
{
    internal LabOperatorPod(LabPod pod, IPAddress hostLinkAddress, IPAddress hostAddress)
    {
        Pod = pod;
        HostLinkAddress = hostLinkAddress;
        HostAddress = hostAddress;
    }

    public LabPod Pod { get; }

    /// <summary>The pod's address on the overlay: what the downward API gives as status.podIP.</summary>
    public IPAddress PodIp => Pod.Ipv4;

    /// <summary>The pod's own address on its link to the host; the host reaches the pod's listeners there.</summary>
    public IPAddress HostLinkAddress { get; }

    /// <summary>The host's address on that link.</summary>
    public IPAddress HostAddress { get; }

    public override string ToString() => $"{Pod} (host link {HostLinkAddress})";
}
