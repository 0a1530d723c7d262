namespace OvnUnidler.Operator.LeaderElection;

/// <summary>
/// Thrown out of the acting service when its Lease is lost, so that the host stops with a failure
/// exit code and Kubernetes restarts the pod as a fresh candidate.
/// </summary>
public sealed class LeadershipLostException(string message) : Exception(message);
