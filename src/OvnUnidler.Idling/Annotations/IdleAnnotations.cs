using System.Globalization;

namespace OvnUnidler.Idling.Annotations;

// The annotation contract shared with `oc idle`, OpenShift's unidling controller
// (openshift/api unidling/v1alpha1) and ovn-kubernetes (go-controller/pkg/util/unidling).
public static class IdleAnnotations
{
    // On the Service: when it was idled, RFC 3339 in UTC.
    public const string IdledAt = "idling.alpha.openshift.io/idled-at";

    // On the Service: JSON list of {"kind","name","group"?,"apiVersion"?,"replicas"} to restore.
    public const string UnidleTargets = "idling.alpha.openshift.io/unidle-targets";

    // On DeploymentConfigs and ReplicationControllers only: their replicas before idling.
    public const string PreviousScale = "idling.alpha.openshift.io/previous-scale";

    // ovn-kubernetes treats a Service carrying any key ending in this suffix as idled, and
    // accepts its own k8s.ovn.org/idled-at as well as OpenShift's.
    public const string IdledAtSuffix = "/idled-at";

    public const string OvnIdledAt = "k8s.ovn.org/idled-at";

    // ovn-kubernetes stamps this when the last */idled-at key disappears and removes it when
    // the Service is idled again; we do the same so its grace period logic sees our wakes.
    public const string OvnUnidledAt = "k8s.ovn.org/unidled-at";

    // On the Service, ours: written (conditional on the Service's resourceVersion) by the caller
    // that starts a wake, so that exactly one records NeedPods per idle period; removed with the
    // idle annotations, and by idling.
    public const string WakeStarted = "unidler.ovn.org/wake-started";

    // The event ovn-kubernetes records and OpenShift's unidling controller acts on.
    public const string NeedPodsReason = "NeedPods";

    public static bool IsIdledAtKey(string key) => key.EndsWith(IdledAtSuffix, StringComparison.Ordinal);

    public static bool IsIdled(IEnumerable<KeyValuePair<string, string>>? annotations) =>
        annotations is not null && annotations.Any(pair => IsIdledAtKey(pair.Key) || pair.Key == UnidleTargets);

    public static string NeedPodsMessage(string serviceName) => $"The service {serviceName} needs pods";

    // Go's time.RFC3339 of a UTC time, as `oc idle` writes it: whole seconds, "Z".
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTimestamp(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
}
