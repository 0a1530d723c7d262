using System.Globalization;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// The renewal value a holder writes on what it published (a slice's annotation, a load balancer's
/// external_ids): UTC to the millisecond. Readers only compare it with the last value they saw
/// (<see cref="StaleRenewals{TKey}"/>), never with their own clock.
/// </summary>
internal static class RenewalStamp
{
    public static string Of(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
