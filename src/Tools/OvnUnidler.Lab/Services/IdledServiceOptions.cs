using System.Globalization;
using k8s.Models;

namespace OvnUnidler.Lab.Services;

/// <summary>
/// What a VIP without backends does, as ovn-kubernetes started with --ovn-empty-lb-events decides it
/// (go-controller/pkg/ovn/controller/services/lb_config.go, the load-balancer options; the idled-at
/// and grace-period checks in go-controller/pkg/ovn/controller/unidling/unidled_annotation_controller.go):
/// a Service with an annotation ending in /idled-at raises an event and is not rejected; so is one
/// whose annotation ending in /unidled-at (RFC 3339) is less than 30 s old; every other Service's
/// empty VIP is rejected and raises nothing. Judged when the Service is synced: nothing syncs it
/// again when the 30 s end.
/// </summary>
public static class IdledServiceOptions
{
    public const string IdledAtSuffix = "/idled-at";
    public const string UnidledAtSuffix = "/unidled-at";
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    public static (bool Event, bool Reject) For(V1Service service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(service);
        var annotations = service.Metadata?.Annotations;
        if (annotations is null)
        {
            return (false, true);
        }

        if (annotations.Keys.Any(key => key.EndsWith(IdledAtSuffix, StringComparison.Ordinal)))
        {
            return (true, false);
        }

        // Upstream reads the first such key in map order; a Service carries at most one in practice.
        var unidledAt = annotations.FirstOrDefault(pair => pair.Key.EndsWith(UnidledAtSuffix, StringComparison.Ordinal)).Value;
        if (unidledAt is not null
            && DateTimeOffset.TryParse(unidledAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            && now < at + GracePeriod)
        {
            return (true, false);
        }

        return (false, true);
    }
}
