using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Tables;

// `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (and with -o wide the
// subobject, source, first seen, count and name). Rows come from either representation of an
// Event: core/v1 names the fields involvedObject, message, count; events.k8s.io/v1 regarding,
// note, deprecatedCount.
internal static class EventColumns
{
    public static IReadOnlyList<TableColumn> All { get; } =
    [
        BuiltInColumns.Column("Last Seen", "string", LastSeen),
        BuiltInColumns.Column("Type", "string", (o, _) => Cells.Text(o, "type")),
        BuiltInColumns.Column("Reason", "string", (o, _) => Cells.Text(o, "reason")),
        BuiltInColumns.Column("Object", "string", (o, _) => $"{Involved(o, "kind").ToLowerInvariant()}/{Involved(o, "name")}"),
        BuiltInColumns.Column("Subobject", "string", (o, _) => Involved(o, "fieldPath"), 1),
        BuiltInColumns.Column("Source", "string", (o, _) => Source(o), 1),
        BuiltInColumns.Column("Message", "string", (o, _) => Text(o, "message", "note")),
        BuiltInColumns.Column("First Seen", "string", (o, now) => Cells.Since(FirstSeen(o), now), 1),
        BuiltInColumns.Column("Count", "integer", (o, _) => Count(o), 1),
        BuiltInColumns.Column("Name", "string", (o, _) => Cells.Text(o, "metadata", "name"), 1),
    ];

    private static JsonNode? LastSeen(JsonObject o, DateTimeOffset now)
    {
        var last = Text(o, "lastTimestamp", "deprecatedLastTimestamp");
        if (last.Length == 0)
        {
            last = Cells.Text(o, "eventTime");
        }

        if (last.Length == 0)
        {
            last = Cells.Text(o, "metadata", "creationTimestamp");
        }

        var count = Count(o);
        return count > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{Cells.Since(last, now)} (x{count} over {Cells.Since(FirstSeen(o), now)})")
            : Cells.Since(last, now);
    }

    private static string FirstSeen(JsonObject o)
    {
        var first = Text(o, "firstTimestamp", "deprecatedFirstTimestamp");
        return first.Length > 0 ? first : Cells.Text(o, "eventTime");
    }

    private static long Count(JsonObject o) => JsonAccess.Integer(o["count"] ?? o["deprecatedCount"]) ?? 1;

    private static string Source(JsonObject o)
    {
        var source = JsonAccess.Object(o, "source") ?? JsonAccess.Object(o, "deprecatedSource");
        var component = JsonAccess.String(source, "component") ?? Cells.Text(o, "reportingComponent");
        var host = JsonAccess.String(source, "host") ?? "";
        return host.Length > 0 ? $"{component}, {host}" : component;
    }

    private static string Involved(JsonObject o, string field) =>
        JsonAccess.String(JsonAccess.Object(o, "involvedObject") ?? JsonAccess.Object(o, "regarding"), field) ?? "";

    private static string Text(JsonObject o, string core, string eventsV1) => JsonAccess.String(o, core) ?? JsonAccess.String(o, eventsV1) ?? "";
}
