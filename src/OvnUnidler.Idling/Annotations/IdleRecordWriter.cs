using System.Text.Json;

namespace OvnUnidler.Idling.Annotations;

// Writes the OpenShift idle annotations exactly as `oc idle` (openshift/oc pkg/cli/idle) does,
// so that oc, OpenShift's unidling controller, ovn-kubernetes and ovn-unidler read each other's.
public static class IdleRecordWriter
{
    // oc's merge: every observed workload is listed with its current replicas; when that is 0
    // (idled already, e.g. idling twice) the count recorded before is kept; recorded workloads
    // not observed now stay listed after the observed ones; and a count of 0 is written as 1.
    public static IReadOnlyList<IdleTarget> Merge(IReadOnlyList<IdleTarget> recorded, IReadOnlyList<ObservedTarget> observed)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(observed);
        var merged = new List<IdleTarget>();
        foreach (var target in observed)
        {
            var candidate = IdleTarget.Create(target.Scalable, target.Name, target.CurrentReplicas);
            var previous = recorded.FirstOrDefault(entry => entry.SameWorkload(candidate));
            var replicas = target.RequestedReplicas
                ?? (target.CurrentReplicas > 0 ? target.CurrentReplicas : previous?.Replicas ?? 0);
            var entry = (previous ?? candidate) with { Replicas = Math.Max(replicas, 1) };
            if (merged.FindIndex(existing => existing.SameWorkload(entry)) is var duplicate and >= 0)
            {
                merged[duplicate] = entry with { Replicas = Math.Max(entry.Replicas, merged[duplicate].Replicas) };
                continue;
            }

            merged.Add(entry);
        }

        merged.AddRange(recorded
            .Where(entry => !merged.Any(existing => existing.SameWorkload(entry)))
            .Select(entry => entry with { Replicas = Math.Max(entry.Replicas, 1) }));
        return merged;
    }

    // The annotation value as Go's encoding/json writes []RecordedScaleReference: compact, fields
    // in struct order (kind, name, apiVersion, group, replicas), empty optional fields omitted.
    public static string SerializeTargets(IEnumerable<IdleTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var target in targets)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", target.Kind);
                writer.WriteString("name", target.Name);
                if (!string.IsNullOrEmpty(target.ApiVersion))
                {
                    writer.WriteString("apiVersion", target.ApiVersion);
                }

                if (!string.IsNullOrEmpty(target.Group))
                {
                    writer.WriteString("group", target.Group);
                }

                writer.WriteNumber("replicas", target.Replicas);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    // The Service annotation changes that idle it (null removes a key): the targets, idled-at
    // now, and no unidled-at, as ovn-kubernetes removes it when a Service is idled again.
    public static IReadOnlyDictionary<string, string?> ServiceAnnotations(IReadOnlyList<IdleTarget> targets, DateTimeOffset now) =>
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [IdleAnnotations.UnidleTargets] = SerializeTargets(targets),
            [IdleAnnotations.IdledAt] = IdleAnnotations.FormatTimestamp(now),
            [IdleAnnotations.OvnUnidledAt] = null,
        };

    // The annotations `oc idle` puts on a DeploymentConfig or ReplicationController it idles.
    public static IReadOnlyDictionary<string, string?> ScalableAnnotations(int previousScale, DateTimeOffset now) =>
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [IdleAnnotations.PreviousScale] = previousScale.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [IdleAnnotations.IdledAt] = IdleAnnotations.FormatTimestamp(now),
        };
}
