using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

// core/v1 and events.k8s.io/v1 Events are one resource in two representations, stored once
// (as a real cluster stores them once). The field mapping is the one the events.k8s.io/v1
// reference documents: regarding = involvedObject, note = message, deprecatedCount = count, ...
internal sealed class RepresentationConverter(ResourceCatalog catalog)
{
    private static readonly (string EventsV1, string Core)[] EventFields =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
        ("reportingController", "reportingComponent"),
    ];

    public ResourceType StorageTypeOf(ResourceType type) => catalog.StorageTypeOf(type);

    public bool NeedsConversion(ResourceType type) => !ReferenceEquals(catalog.StorageTypeOf(type), type);

    public JsonObject ToStorage(ResourceType type, JsonObject obj)
    {
        var storage = catalog.StorageTypeOf(type);
        if (ReferenceEquals(storage, type))
        {
            return obj;
        }

        if (type.IsCustom)
        {
            // conversion strategy None: only apiVersion changes between a CRD's versions.
            obj["apiVersion"] = storage.ApiVersion;
            return obj;
        }

        var converted = Rename(obj, fromEventsV1: true);
        converted["apiVersion"] = storage.ApiVersion;
        converted["kind"] = storage.Kind;
        return converted;
    }

    public JsonObject FromStorage(ResourceType type, JsonObject stored)
    {
        if (!NeedsConversion(type))
        {
            return stored;
        }

        if (type.IsCustom)
        {
            stored["apiVersion"] = type.ApiVersion;
            return stored;
        }

        var converted = Rename(stored, fromEventsV1: false);
        converted["apiVersion"] = type.ApiVersion;
        converted["kind"] = type.Kind;
        return converted;
    }

    public byte[] Render(ResourceType type, StoredObject stored) =>
        NeedsConversion(type) ? JsonSerializer.SerializeToUtf8Bytes(FromStorage(type, stored.ToNode())) : stored.Json;

    private static JsonObject Rename(JsonObject source, bool fromEventsV1)
    {
        var result = new JsonObject();
        foreach (var (name, value) in source)
        {
            var mapped = EventFields.FirstOrDefault(pair => (fromEventsV1 ? pair.EventsV1 : pair.Core) == name);
            var target = mapped == default ? name : (fromEventsV1 ? mapped.Core : mapped.EventsV1);
            result[target] = value?.DeepClone();
        }

        return result;
    }
}
