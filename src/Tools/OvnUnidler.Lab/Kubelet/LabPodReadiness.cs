namespace OvnUnidler.Lab.Kubelet;

/// <summary>
/// A pod the lab kubelet ran, on the wall clock (UTC): when its network namespace was up and its
/// server started, and when the server first answered the readiness probe (the readiness clock).
/// </summary>
public sealed record LabPodReadiness(string Namespace, string Name, string Node, string Ipv4, string Ipv6, TimeSpan StartDelay, DateTime StartedAt, DateTime ReadyAt);
