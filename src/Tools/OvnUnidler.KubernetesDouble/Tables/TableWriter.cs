using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Tables;

// Renders objects as a meta.k8s.io Table: the kind's column definitions, one row per object
// with its cells and, per includeObject, nothing, its PartialObjectMetadata, or the object.
internal static class TableWriter
{
    public static JsonObject Write(ResourceType type, IReadOnlyList<JsonObject> objects, JsonObject? listMetadata, TableRequest request, DateTimeOffset now, bool withColumns = true)
    {
        var columns = type.Definition is { } definition ? CustomColumns.For(definition) : BuiltInColumns.For(type);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(columns.Select(column => column.Cell(obj, now)).ToArray()) };
            row["object"] = request.IncludeObject switch
            {
                "None" => null,
                "Object" => obj.DeepClone(),
                _ => new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = $"meta.k8s.io/{request.Version}",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                },
            };
            rows.Add(row);
        }

        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = $"meta.k8s.io/{request.Version}",
            ["metadata"] = listMetadata?.DeepClone() ?? new JsonObject(),
        };
        if (withColumns)
        {
            table["columnDefinitions"] = new JsonArray(columns.Select(column => (JsonNode?)new JsonObject
            {
                ["name"] = column.Definition.Name,
                ["type"] = column.Definition.Type,
                ["format"] = column.Definition.Format,
                ["description"] = column.Definition.Description,
                ["priority"] = column.Definition.Priority,
            }).ToArray());
        }

        table["rows"] = rows;
        return table;
    }

    // A get or list answer turned into its Table; anything else (a Status) passes unchanged.
    public static JsonObject? FromResponse(ResourceType type, byte[] body, TableRequest request, DateTimeOffset now)
    {
        if (JsonNode.Parse(body) is not JsonObject response || response["kind"]?.ToString() == "Status")
        {
            return null;
        }

        if (response["items"] is JsonArray items)
        {
            return Write(type, items.OfType<JsonObject>().ToList(), response["metadata"] as JsonObject, request, now);
        }

        var metadata = new JsonObject();
        if (Cells.At(response, "metadata", "resourceVersion") is { } version)
        {
            metadata["resourceVersion"] = version.DeepClone();
        }

        return Write(type, [response], metadata, request, now);
    }
}
