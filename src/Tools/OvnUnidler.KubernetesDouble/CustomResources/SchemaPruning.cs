using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// What the apiextensions server does to a custom resource as it decodes it, before validation
// (CustomResourceDefinitions, "Field pruning" and "Defaulting and Nullable"): fields the schema
// does not specify are dropped unless x-kubernetes-preserve-unknown-fields keeps them; a null
// where the schema is not nullable is dropped (or defaulted when it has a default); a missing
// field with a default gets it. apiVersion, kind and metadata at the root are always kept, and
// metadata keeps only ObjectMeta's fields.
internal static class SchemaPruning
{
    private static readonly HashSet<string> ObjectMetaFields =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    public static void Apply(JsonObject root, JsonObject schema)
    {
        PruneObject(root, schema, isRoot: true);
    }

    private static void Prune(JsonNode? value, JsonObject? schema)
    {
        switch (value)
        {
            case JsonObject obj:
                PruneObject(obj, schema, isRoot: false);
                break;
            case JsonArray array when (schema?["items"]) is JsonObject items:
                foreach (var item in array)
                {
                    Prune(item, items);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, JsonObject? schema, bool isRoot)
    {
        var properties = schema?["properties"] as JsonObject;
        var additional = schema?["additionalProperties"];
        var preserve = StructuralSchema.Flag(schema, "x-kubernetes-preserve-unknown-fields") || additional is JsonValue;
        var embedded = isRoot || StructuralSchema.Flag(schema, "x-kubernetes-embedded-resource");
        foreach (var (name, child) in obj.ToList())
        {
            if (embedded && name is "apiVersion" or "kind")
            {
                continue;
            }

            if (embedded && name == "metadata")
            {
                if (child is JsonObject metadata)
                {
                    foreach (var field in metadata.Select(pair => pair.Key).Where(field => !ObjectMetaFields.Contains(field)).ToList())
                    {
                        metadata.Remove(field);
                    }
                }

                continue;
            }

            var childSchema = properties?[name] as JsonObject ?? additional as JsonObject;
            if (childSchema is null)
            {
                if (!preserve)
                {
                    obj.Remove(name);
                }

                continue;
            }

            if (child is null && !StructuralSchema.Flag(childSchema, "nullable"))
            {
                obj.Remove(name);
                continue;
            }

            Prune(child, childSchema);
        }

        foreach (var (name, property) in properties ?? [])
        {
            if (property is JsonObject propertySchema && propertySchema["default"] is { } defaultValue && obj[name] is null)
            {
                var value = defaultValue.DeepClone();
                obj[name] = value;
                Prune(value, propertySchema);
            }
        }
    }
}
