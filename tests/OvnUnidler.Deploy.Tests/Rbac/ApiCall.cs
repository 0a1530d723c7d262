namespace OvnUnidler.Deploy.Tests.Rbac;

/// <summary>
/// One kind of request the operator makes, in RBAC terms, and the KubernetesClient method in its
/// source that makes it ("AppsV1.ReadNamespacedDeploymentScaleAsync"). InOwnNamespace: only in the operator's namespace (a Role).
/// LeaseNames: limited to the Leases the configuration names (LeaderElection:LeaseName).
/// </summary>
public sealed record ApiCall(string Group, string Resource, string? Subresource, string Verb, string CallSite, bool InOwnNamespace = false, bool LeaseNames = false);
