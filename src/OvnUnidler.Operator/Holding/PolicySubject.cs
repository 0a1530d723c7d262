using k8s.Models;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Whom one network policy applies to: pods matching <paramref name="PodSelector"/> in namespaces
/// matching <paramref name="NamespaceSelector"/>; null selects every one (an empty selector, or a
/// NetworkPolicy's own namespace, which the list it came from already chose).
/// </summary>
/// <param name="Policy">Its kind and name, for the log.</param>
public sealed record PolicySubject(string Policy, V1LabelSelector? NamespaceSelector, V1LabelSelector? PodSelector);
