using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Selection;

// The field labels each resource supports in field selectors. Every resource supports
// metadata.name and metadata.namespace; a few add their own (events: involvedObject.*, reason,
// type, source; pods: spec.nodeName, status.phase; ...). Others answer 400 as the server does.
internal static class SelectableFields
{
    private static readonly string[] EventObjectFields = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

    public static IReadOnlyDictionary<string, string> Extract(ResourceType storageType, JsonObject obj)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = ObjectMetadata.Name(obj),
            ["metadata.namespace"] = ObjectMetadata.Namespace(obj),
        };
        switch (storageType.IsCustom ? "" : storageType.Kind)
        {
            case "Event":
                var involved = JsonAccess.Object(obj, "involvedObject");
                foreach (var field in EventObjectFields)
                {
                    var value = JsonAccess.String(involved, field) ?? "";
                    fields["involvedObject." + field] = value;
                    fields["regarding." + field] = value;
                }

                fields["reason"] = JsonAccess.String(obj, "reason") ?? "";
                fields["type"] = JsonAccess.String(obj, "type") ?? "";
                fields["source"] = JsonAccess.String(JsonAccess.Object(obj, "source"), "component") ?? "";
                fields["reportingComponent"] = JsonAccess.String(obj, "reportingComponent") ?? "";
                fields["reportingController"] = fields["reportingComponent"];
                break;
            case "Pod":
                fields["spec.nodeName"] = JsonAccess.String(JsonAccess.Object(obj, "spec"), "nodeName") ?? "";
                fields["status.phase"] = JsonAccess.String(JsonAccess.Object(obj, "status"), "phase") ?? "";
                break;
            case "Namespace":
                fields["status.phase"] = JsonAccess.String(JsonAccess.Object(obj, "status"), "phase") ?? "";
                break;
            case "Secret":
                fields["type"] = JsonAccess.String(obj, "type") ?? "";
                break;
            case "ReplicaSet" or "ReplicationController":
                fields["status.replicas"] = (JsonAccess.Integer(JsonAccess.Object(obj, "status"), "replicas") ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
        }

        return fields;
    }

    public static bool Supports(ResourceType type, string field) => field switch
    {
        "metadata.name" or "metadata.namespace" => true,
        _ when type.Kind == "Event" && !type.IsCustom => field is "reason" or "type" or "source" or "reportingComponent" or "reportingController"
            || (field.StartsWith("involvedObject.", StringComparison.Ordinal) && EventObjectFields.Contains(field["involvedObject.".Length..]))
            || (field.StartsWith("regarding.", StringComparison.Ordinal) && EventObjectFields.Contains(field["regarding.".Length..])),
        _ when type.Kind == "Pod" && !type.IsCustom => field is "spec.nodeName" or "status.phase",
        _ when type.Kind == "Namespace" && !type.IsCustom => field is "status.phase",
        _ when type.Kind == "Secret" && !type.IsCustom => field is "type",
        _ when type.Kind is "ReplicaSet" or "ReplicationController" && !type.IsCustom => field is "status.replicas",
        _ => false,
    };
}
