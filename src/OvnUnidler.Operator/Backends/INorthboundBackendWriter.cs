namespace OvnUnidler.Operator.Backends;

/// <summary>Writes backends for VIPs of one NB Load_Balancer in one transaction.</summary>
public interface INorthboundBackendWriter
{
    /// <param name="vips">Each VIP exactly as the row names it -> comma-separated backends.</param>
    Task SetBackendsAsync(Guid loadBalancer, IReadOnlyDictionary<string, string> vips, CancellationToken cancellationToken);
}
