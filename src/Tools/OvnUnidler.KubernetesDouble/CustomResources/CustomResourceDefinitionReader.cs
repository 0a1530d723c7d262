using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// Reads an apiextensions.k8s.io/v1 CustomResourceDefinition: its defaults, the validation the
// API server applies to it, and the resources it serves (one per served version).
internal static class CustomResourceDefinitionReader
{
    private static readonly string[] Scopes = ["Cluster", "Namespaced"];
    private static readonly string[] ColumnTypes = ["integer", "number", "string", "boolean", "date"];

    public static void Default(JsonObject crd)
    {
        var names = JsonAccess.Object(JsonAccess.Object(crd, "spec"), "names");
        if (names is null)
        {
            return;
        }

        if (JsonAccess.String(names, "kind") is { Length: > 0 } kind)
        {
            if (string.IsNullOrEmpty(JsonAccess.String(names, "singular")))
            {
                names["singular"] = kind.ToLowerInvariant();
            }

            if (string.IsNullOrEmpty(JsonAccess.String(names, "listKind")))
            {
                names["listKind"] = kind + "List";
            }
        }

        var spec = JsonAccess.Object(crd, "spec")!;
        spec["conversion"] ??= new JsonObject { ["strategy"] = "None" };
    }

    public static List<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var spec = JsonAccess.Object(crd, "spec");
        var group = JsonAccess.String(spec, "group") ?? "";
        var names = JsonAccess.Object(spec, "names");
        var plural = JsonAccess.String(names, "plural") ?? "";
        if (group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group", ""));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("spec.group", group, "should be a domain with at least one dot"));
        }

        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural", ""));
        }

        if (string.IsNullOrEmpty(JsonAccess.String(names, "kind")))
        {
            errors.Add(FieldError.Required("spec.names.kind", ""));
        }

        var name = ObjectMetadata.Name(crd);
        if (plural.Length > 0 && group.Length > 0 && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }

        var scope = JsonAccess.String(spec, "scope");
        if (!Scopes.Contains(scope))
        {
            errors.Add(scope is null ? FieldError.Required("spec.scope", "") : FieldError.NotSupported("spec.scope", scope, Scopes));
        }

        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Invalid("spec.versions", new JsonArray(), "must have exactly one version marked as storage version"));
            return errors;
        }

        if (versions.Count(version => StructuralSchema.Flag(version, "storage")) != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", spec!["versions"]!.DeepClone(), "must have exactly one version marked as storage version"));
        }

        var versionNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < versions.Count; i++)
        {
            var path = $"spec.versions[{i}]";
            var versionName = JsonAccess.String(versions[i], "name") ?? "";
            if (versionName.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.name", ""));
            }
            else if (!versionNames.Add(versionName))
            {
                errors.Add(FieldError.Duplicate($"{path}.name", versionName));
            }

            var schema = JsonAccess.Path(versions[i], "schema", "openAPIV3Schema");
            if (schema is null)
            {
                errors.Add(FieldError.Required($"{path}.schema.openAPIV3Schema", "schemas are required"));
            }
            else
            {
                StructuralSchema.CheckStructural(schema, $"{path}.schema.openAPIV3Schema", isRoot: true, errors);
            }

            var columns = (versions[i]["additionalPrinterColumns"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            for (var c = 0; c < columns.Count; c++)
            {
                var type = JsonAccess.String(columns[c], "type");
                if (!ColumnTypes.Contains(type))
                {
                    errors.Add(FieldError.NotSupported($"{path}.additionalPrinterColumns[{c}].type", type, ColumnTypes));
                }
            }
        }

        return errors;
    }

    // What a real server reports once its controllers accepted the names: NamesAccepted and Established.
    public static void SetAcceptedStatus(JsonObject crd, string timestamp)
    {
        var spec = JsonAccess.Object(crd, "spec");
        var status = JsonAccess.EnsureObject(crd, "status");
        status["acceptedNames"] = JsonAccess.Object(spec, "names")?.DeepClone();
        status["conditions"] = new JsonArray(
            Condition("NamesAccepted", "NoConflicts", "no conflicts found", timestamp),
            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", timestamp));
        var storage = ((spec?["versions"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Where(version => StructuralSchema.Flag(version, "storage"))
            .Select(version => JsonAccess.String(version, "name"))
            .OfType<string>();
        var stored = (status["storedVersions"] as JsonArray)?.Select(JsonAccess.String).OfType<string>().ToList() ?? [];
        status["storedVersions"] = new JsonArray(stored.Union(storage).Select(version => (JsonNode?)version).ToArray());
    }

    public static IReadOnlyList<ResourceType> Served(JsonObject crd)
    {
        var spec = JsonAccess.Object(crd, "spec")!;
        var names = JsonAccess.Object(spec, "names")!;
        var group = JsonAccess.String(spec, "group")!;
        var plural = JsonAccess.String(names, "plural")!;
        var kind = JsonAccess.String(names, "kind")!;
        var versions = (spec["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var storageVersion = versions.Where(version => StructuralSchema.Flag(version, "storage")).Select(version => JsonAccess.String(version, "name")).FirstOrDefault() ?? "";
        var served = new List<ResourceType>();
        foreach (var version in versions.Where(version => StructuralSchema.Flag(version, "served")))
        {
            var subresources = JsonAccess.Object(version, "subresources");
            var scale = JsonAccess.Object(subresources, "scale");
            var definition = new CustomResourceDefinition
            {
                Name = ObjectMetadata.Name(crd),
                Singular = JsonAccess.String(names, "singular") ?? kind.ToLowerInvariant(),
                ListKind = JsonAccess.String(names, "listKind") ?? kind + "List",
                StorageVersion = storageVersion,
                Schema = JsonAccess.Path(version, "schema", "openAPIV3Schema")?.DeepClone().AsObject(),
                Scale = scale is null
                    ? null
                    : new CustomScalePaths(JsonAccess.String(scale, "specReplicasPath") ?? ".spec.replicas", JsonAccess.String(scale, "statusReplicasPath") ?? ".status.replicas", JsonAccess.String(scale, "labelSelectorPath")),
                Columns = ((version["additionalPrinterColumns"] as JsonArray)?.OfType<JsonObject>() ?? [])
                    .Select(column => new PrinterColumn(
                        JsonAccess.String(column, "name") ?? "",
                        JsonAccess.String(column, "type") ?? "string",
                        JsonAccess.String(column, "jsonPath") ?? "",
                        (int)(JsonAccess.Integer(column, "priority") ?? 0),
                        JsonAccess.String(column, "format") ?? "",
                        JsonAccess.String(column, "description") ?? ""))
                    .ToList(),
            };
            served.Add(new ResourceType(group, JsonAccess.String(version, "name")!, plural, kind, JsonAccess.String(spec, "scope") == "Namespaced",
                HasStatusSubresource: subresources?["status"] is JsonObject,
                Scale: scale is null ? ScaleSelectorStyle.None : ScaleSelectorStyle.CustomPaths,
                TracksGeneration: true,
                AllowUnconditionalUpdate: false,
                ReturnsDeletedObject: true,
                IsCustom: true)
            {
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                Definition = definition,
            });
        }

        return served;
    }

    private static List<string> Strings(JsonNode? node) => (node as JsonArray)?.Select(JsonAccess.String).OfType<string>().ToList() ?? [];

    private static JsonObject Condition(string type, string reason, string message, string timestamp) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = timestamp,
        ["reason"] = reason,
        ["message"] = message,
    };
}
