using System.Globalization;
using System.Text.Json;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Annotations;

// Reads a Service's idle annotations into an IdleRecord. Never throws for what it reads: the
// annotations are written by people and by other tools, so every defect becomes a precise reason.
public static class IdleRecordParser
{
    public static IdleRecordParseResult Parse(IEnumerable<KeyValuePair<string, string>>? annotations)
    {
        var values = annotations?.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal) ?? [];
        var idledAtKeys = values.Keys.Where(IdleAnnotations.IsIdledAtKey).Order(StringComparer.Ordinal).ToList();
        var hasTargets = values.TryGetValue(IdleAnnotations.UnidleTargets, out var targetsValue);
        if (idledAtKeys.Count == 0 && !hasTargets)
        {
            return IdleRecordParseResult.NotIdled;
        }

        var idledAtKey = idledAtKeys.Contains(IdleAnnotations.IdledAt) ? IdleAnnotations.IdledAt
            : idledAtKeys.Contains(IdleAnnotations.OvnIdledAt) ? IdleAnnotations.OvnIdledAt
            : idledAtKeys.FirstOrDefault();
        var record = new IdleRecord
        {
            Targets = [],
            HasTargetsAnnotation = hasTargets,
            IdledAtKeys = idledAtKeys,
            IdledAtValue = idledAtKey is null ? null : values[idledAtKey],
            TargetsAnnotationValue = targetsValue,
        };
        if (!hasTargets)
        {
            return IdleRecordParseResult.Parsed(record);
        }

        var notes = new List<string>();
        var (targets, error) = ParseTargets(targetsValue!, notes);
        return error is not null
            ? IdleRecordParseResult.Invalid(error)
            : IdleRecordParseResult.Parsed(record with { Targets = targets!, Notes = notes });
    }

    // previous-scale as `oc idle` writes it: a decimal replica count. Null when absent or unreadable.
    public static int? ParsePreviousScale(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) ? replicas : null;

    private static (IReadOnlyList<IdleTarget>? Targets, string? Error) ParseTargets(string value, List<string> notes)
    {
        const string Key = IdleAnnotations.UnidleTargets;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException exception)
        {
            return (null, $"{Key} is not valid JSON ({exception.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, $"{Key} is a JSON {Describe(document.RootElement.ValueKind)}, not a list of targets");
            }

            var targets = new List<IdleTarget>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var (target, error) = ParseTarget(element, $"{Key}[{index}]", notes);
                if (error is not null)
                {
                    return (null, error);
                }

                Add(targets, target!, notes);
                index++;
            }

            return targets.Count == 0 ? (null, $"{Key} lists no targets, so there is nothing to wake") : (targets, null);
        }
    }

    private static (IdleTarget? Target, string? Error) ParseTarget(JsonElement element, string path, List<string> notes)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{path} is a JSON {Describe(element.ValueKind)}, not an object with kind, name and replicas");
        }

        var (kind, kindError) = OptionalString(element, "kind", path);
        var (name, nameError) = OptionalString(element, "name", path);
        var (group, groupError) = OptionalString(element, "group", path);
        var (apiVersion, apiVersionError) = OptionalString(element, "apiVersion", path);
        if ((kindError ?? nameError ?? groupError ?? apiVersionError) is { } stringError)
        {
            return (null, stringError);
        }

        if (string.IsNullOrEmpty(kind))
        {
            return (null, $"{path} has no kind");
        }

        if (string.IsNullOrEmpty(name))
        {
            return (null, $"{path} ({kind}) has no name");
        }

        // Any kind: whether this server scales it is asked when it is woken, for this target alone,
        // as OpenShift's unidling controller does (a Rollout in the record never blocks a Deployment).
        var scalable = ScalableKind.Of(kind, group, apiVersion);

        var replicas = 0;
        if (element.TryGetProperty("replicas", out var replicasElement) && replicasElement.ValueKind != JsonValueKind.Null)
        {
            if (replicasElement.ValueKind != JsonValueKind.Number || !replicasElement.TryGetInt64(out var count))
            {
                return (null, $"{path} ({kind}/{name}) has replicas {replicasElement.GetRawText()}, which is not a whole number");
            }

            if (count < 0)
            {
                return (null, $"{path} ({kind}/{name}) has replicas {count}; replicas cannot be negative");
            }

            if (count > int.MaxValue)
            {
                return (null, $"{path} ({kind}/{name}) has replicas {count}, more than a scale subresource holds");
            }

            replicas = (int)count;
        }

        if (replicas == 0)
        {
            // `oc idle` records 0 as 1 for the same reason: waking to zero replicas wakes nothing.
            notes.Add($"{path} ({kind}/{name}) records 0 replicas; it wakes with 1");
            replicas = 1;
        }

        return (new IdleTarget(scalable, name, replicas) { Group = NullIfEmpty(group), ApiVersion = NullIfEmpty(apiVersion) }, null);
    }

    // Two entries for one workload (hand edits, or tools that append) wake it once, with the larger count.
    private static void Add(List<IdleTarget> targets, IdleTarget target, List<string> notes)
    {
        var existing = targets.FindIndex(candidate => candidate.SameWorkload(target));
        if (existing < 0)
        {
            targets.Add(target);
            return;
        }

        var merged = targets[existing].Replicas >= target.Replicas ? targets[existing] : targets[existing] with { Replicas = target.Replicas };
        notes.Add($"{target} is listed more than once; it wakes once with {merged.Replicas} replicas");
        targets[existing] = merged;
    }

    private static (string? Value, string? Error) OptionalString(JsonElement element, string property, string path) =>
        !element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null ? (null, null)
        : value.ValueKind == JsonValueKind.String ? (value.GetString(), null)
        : (null, $"{path} has {property} {value.GetRawText()}, which is not a string");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "list",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
