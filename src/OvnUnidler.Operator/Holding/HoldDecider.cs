namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Never widen access (issue 16, point 5): a held connection reaches the pods from the holder's
/// address, so a policy on the pods would judge the holder instead of the client. Hold only a
/// Service on the default network, with a selector and TCP or UDP ports, not opted out, whose
/// pods no NetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy might select. The pods
/// do not exist yet; their labels are known as far as the Service's selector goes, and a policy
/// that might select them counts as selecting them.
/// </summary>
public static class HoldDecider
{
    /// <summary>On a Service, "false" keeps its connections from being held.</summary>
    public const string OptOutAnnotation = "unidler.ovn.org/hold-connections";

    /// <summary>ovn-kubernetes' label on a namespace whose pods' primary network is a user-defined network.</summary>
    public const string PrimaryUserDefinedNetworkLabel = "k8s.ovn.org/primary-user-defined-network";

    public static HoldDecision Decide(HoldingFacts facts)
    {
        var service = facts.Service;
        if (service.Metadata.Annotations?.TryGetValue(OptOutAnnotation, out var optOut) == true
            && string.Equals(optOut.Trim(), "false", StringComparison.OrdinalIgnoreCase))
        {
            return HoldDecision.No("opted-out", $"the Service has {OptOutAnnotation}: \"false\"");
        }

        if (facts.NamespaceLabels.ContainsKey(PrimaryUserDefinedNetworkLabel))
        {
            return HoldDecision.No("user-defined-network", $"its namespace is labelled {PrimaryUserDefinedNetworkLabel}: its pods are not on the default network");
        }

        if (service.Spec?.Selector is not { Count: > 0 } selectorLabels)
        {
            return HoldDecision.No("no-selector", "the Service has no selector, so the labels of its pods are unknown");
        }

        if (HeldServicePorts.Of(service).Count == 0)
        {
            return HoldDecision.No("no-ports", "the Service has no TCP or UDP port");
        }

        var selector = new Dictionary<string, string>(selectorLabels, StringComparer.Ordinal);
        foreach (var policy in facts.Policies)
        {
            if (LabelSelection.MightSelect(policy.NamespaceSelector, facts.NamespaceLabels, complete: true)
                && LabelSelection.MightSelect(policy.PodSelector, selector, complete: false))
            {
                return HoldDecision.No("policy", $"{policy.Policy} may select its pods");
            }
        }

        return HoldDecision.Yes();
    }
}
