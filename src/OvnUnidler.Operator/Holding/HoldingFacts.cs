using k8s.Models;

namespace OvnUnidler.Operator.Holding;

/// <summary>What a hold decision reads: the Service, its namespace's labels, and every policy that could apply to its pods.</summary>
public sealed record HoldingFacts(V1Service Service, IReadOnlyDictionary<string, string> NamespaceLabels, IReadOnlyList<PolicySubject> Policies);
