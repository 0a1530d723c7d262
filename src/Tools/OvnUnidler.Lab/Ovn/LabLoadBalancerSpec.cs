namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// An OVN_Northbound Load_Balancer as a CMS creates it for an idled Service: VIPs with no
/// backends and options:event=true, so the first packet to a VIP raises an empty_lb_backends
/// Controller_Event (ovn-nb(5), Load_Balancer options:event).
/// </summary>
public sealed class LabLoadBalancerSpec
{
    public required string Name { get; init; }

    /// <summary>As OVN keys them: "10.96.0.10:80", "[fd00::10]:80"; each starts with no backends.</summary>
    public required IReadOnlyList<string> Vips { get; init; }

    public LabProtocol Protocol { get; init; } = LabProtocol.Tcp;

    /// <summary>Logical switches the load balancer is attached to (their load_balancer column).</summary>
    public IReadOnlyList<string> Switches { get; init; } = [];

    public IReadOnlyDictionary<string, string> ExternalIds { get; init; } = new Dictionary<string, string>();

    /// <summary>options:event=true; false makes a plain load balancer that raises nothing.</summary>
    public bool Event { get; init; } = true;

    /// <summary>The external_ids ovn-kubernetes writes on a Service's load balancer, which the operator maps back to the Service.</summary>
    public static IReadOnlyDictionary<string, string> ServiceExternalIds(string serviceNamespace, string serviceName) =>
        new Dictionary<string, string>
        {
            ["k8s.ovn.org/kind"] = "Service",
            ["k8s.ovn.org/owner"] = $"{serviceNamespace}/{serviceName}",
        };
}
