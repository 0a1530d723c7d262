using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.CustomResources;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Tables;

// The columns the API server prints for the built-in kinds (what `kubectl get` shows: pods
// NAME READY STATUS RESTARTS AGE, ...); priority 1 columns appear with -o wide. A kind without
// printers gets the server's default: Name and Created At.
internal static class BuiltInColumns
{
    public static IReadOnlyList<TableColumn> For(ResourceType type) => type.GroupKind switch
    {
        "Pod" =>
        [
            Name, Column("Ready", "string", (o, _) => PodReady(o)), Column("Status", "string", (o, _) => PodStatus(o)),
            Column("Restarts", "string", (o, _) => Cells.Objects(Cells.At(o, "status", "containerStatuses")).Sum(c => JsonAccess.Integer(c, "restartCount") ?? 0)),
            Age, Column("IP", "string", (o, _) => Or(Cells.Text(o, "status", "podIP")), 1), Column("Node", "string", (o, _) => Or(Cells.Text(o, "spec", "nodeName")), 1),
            Column("Nominated Node", "string", (o, _) => Or(Cells.Text(o, "status", "nominatedNodeName")), 1), Column("Readiness Gates", "string", (_, _) => "<none>", 1),
        ],
        "Service" =>
        [
            Name, Column("Type", "string", (o, _) => Cells.Text(o, "spec", "type")), Column("Cluster-IP", "string", (o, _) => Or(Cells.Text(o, "spec", "clusterIP"))),
            Column("External-IP", "string", (o, _) => ExternalIps(o)), Column("Port(s)", "string", (o, _) => ServicePorts(o)), Age,
            Column("Selector", "string", (o, _) => Cells.Selector(Cells.At(o, "spec", "selector")), 1),
        ],
        "Deployment.apps" =>
        [
            Name, Column("Ready", "string", (o, _) => $"{Cells.Number(o, "status", "readyReplicas")}/{Cells.Number(o, "spec", "replicas")}"),
            Column("Up-to-date", "integer", (o, _) => Cells.Number(o, "status", "updatedReplicas")),
            Column("Available", "integer", (o, _) => Cells.Number(o, "status", "availableReplicas")), Age, .. Wide(withSelector: true),
        ],
        "ReplicaSet.apps" or "ReplicationController" => [Name, .. Counts(), Age, .. Wide(withSelector: true)],
        "StatefulSet.apps" => [Name, Column("Ready", "string", (o, _) => $"{Cells.Number(o, "status", "readyReplicas")}/{Cells.Number(o, "spec", "replicas")}"), Age, .. Wide(withSelector: false)],
        "DeploymentConfig.apps.openshift.io" =>
        [
            Name, Column("Revision", "integer", (o, _) => Cells.Number(o, "status", "latestVersion")), Column("Desired", "integer", (o, _) => Cells.Number(o, "spec", "replicas")),
            Column("Current", "integer", (o, _) => Cells.Number(o, "status", "replicas")),
            Column("Triggered By", "string", (o, _) => Cells.List(Cells.Objects(Cells.At(o, "spec", "triggers")).Select(t => JsonAccess.String(t, "type") ?? "").ToList(), empty: "manual")),
        ],
        "Namespace" => [Name, Column("Status", "string", (o, _) => Cells.Text(o, "status", "phase")), Age],
        "Node" => [Name, Column("Status", "string", (o, _) => NodeReady(o)), Column("Roles", "string", (_, _) => "<none>"), Age, Column("Version", "string", (o, _) => Cells.Text(o, "status", "nodeInfo", "kubeletVersion"))],
        "Lease.coordination.k8s.io" => [Name, Column("Holder", "string", (o, _) => Cells.Text(o, "spec", "holderIdentity")), Age],
        "EndpointSlice.discovery.k8s.io" =>
        [
            Name, Column("AddressType", "string", (o, _) => Cells.Text(o, "addressType")),
            Column("Ports", "string", (o, _) => Cells.List(Cells.Objects(o["ports"]).Select(p => JsonAccess.Integer(p, "port")?.ToString(CultureInfo.InvariantCulture) ?? "<unset>").ToList(), empty: "<unset>")),
            Column("Endpoints", "string", (o, _) => Cells.List(Cells.Objects(o["endpoints"]).SelectMany(e => (e["addresses"] as JsonArray ?? []).Select(JsonAccess.String).OfType<string>()).ToList(), empty: "<unset>")),
            Age,
        ],
        "Endpoints" => [Name, Column("Endpoints", "string", (o, _) => EndpointAddresses(o)), Age],
        "ConfigMap" => [Name, Column("Data", "integer", (o, _) => (o["data"] as JsonObject)?.Count + (o["binaryData"] as JsonObject)?.Count ?? 0), Age],
        "Secret" => [Name, Column("Type", "string", (o, _) => Cells.Text(o, "type")), Column("Data", "integer", (o, _) => (o["data"] as JsonObject)?.Count ?? 0), Age],
        "Event" or "Event.events.k8s.io" => EventColumns.All,
        _ => [Name, Column("Created At", "date", (o, _) => Cells.Text(o, "metadata", "creationTimestamp"))],
    };

    public static TableColumn Name { get; } = new(
        new PrinterColumn("Name", "string", "", Format: "name", Description: "Name must be unique within a namespace."),
        (o, _) => Cells.Text(o, "metadata", "name"));

    public static TableColumn Age { get; } = new(
        new PrinterColumn("Age", "string", "", Description: "CreationTimestamp is a timestamp representing the server time when this object was created."),
        (o, now) => Cells.Age(o, now));

    public static TableColumn Column(string name, string type, Func<JsonObject, DateTimeOffset, JsonNode?> cell, int priority = 0) =>
        new(new PrinterColumn(name, type, "", priority), cell);

    private static string Or(string text) => text.Length == 0 ? "<none>" : text;

    private static TableColumn[] Counts() =>
    [
        Column("Desired", "integer", (o, _) => Cells.Number(o, "spec", "replicas")),
        Column("Current", "integer", (o, _) => Cells.Number(o, "status", "replicas")),
        Column("Ready", "integer", (o, _) => Cells.Number(o, "status", "readyReplicas")),
    ];

    private static TableColumn[] Wide(bool withSelector) =>
    [
        Column("Containers", "string", (o, _) => Cells.Containers(o, "name"), 1),
        Column("Images", "string", (o, _) => Cells.Containers(o, "image"), 1),
        .. withSelector ? [Column("Selector", "string", (o, _) => Cells.Selector(Cells.At(o, "spec", "selector")), 1)] : Array.Empty<TableColumn>(),
    ];

    private static string PodReady(JsonObject pod)
    {
        var total = Cells.Objects(Cells.At(pod, "spec", "containers")).Count();
        var ready = Cells.Objects(Cells.At(pod, "status", "containerStatuses")).Count(status => status["ready"] is JsonValue value && value.TryGetValue<bool>(out var isReady) && isReady);
        return $"{ready}/{total}";
    }

    private static string PodStatus(JsonObject pod)
    {
        if (Cells.At(pod, "metadata", "deletionTimestamp") is not null)
        {
            return "Terminating";
        }

        var reason = Cells.Text(pod, "status", "reason");
        return reason.Length > 0 ? reason : Cells.Text(pod, "status", "phase");
    }

    private static string NodeReady(JsonObject node)
    {
        var ready = Cells.Objects(Cells.At(node, "status", "conditions")).FirstOrDefault(condition => JsonAccess.String(condition, "type") == "Ready");
        return JsonAccess.String(ready, "status") == "True" ? "Ready" : "NotReady";
    }

    private static string ExternalIps(JsonObject service)
    {
        var external = (Cells.At(service, "spec", "externalIPs") as JsonArray ?? []).Select(JsonAccess.String).OfType<string>().ToList();
        if (Cells.Text(service, "spec", "type") == "LoadBalancer")
        {
            var ingress = Cells.Objects(Cells.At(service, "status", "loadBalancer", "ingress")).Select(i => JsonAccess.String(i, "ip") ?? JsonAccess.String(i, "hostname")).OfType<string>();
            external = [.. ingress, .. external];
            return external.Count == 0 ? "<pending>" : string.Join(",", external);
        }

        if (Cells.Text(service, "spec", "type") == "ExternalName")
        {
            return Cells.Text(service, "spec", "externalName");
        }

        return external.Count == 0 ? "<none>" : string.Join(",", external);
    }

    private static string ServicePorts(JsonObject service)
    {
        var ports = Cells.Objects(Cells.At(service, "spec", "ports")).Select(port =>
        {
            var number = JsonAccess.Integer(port, "port") ?? 0;
            var protocol = JsonAccess.String(port, "protocol") ?? "TCP";
            return JsonAccess.Integer(port, "nodePort") is { } nodePort ? $"{number}:{nodePort}/{protocol}" : $"{number}/{protocol}";
        }).ToList();
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    private static string EndpointAddresses(JsonObject endpoints)
    {
        var list = new List<string>();
        foreach (var subset in Cells.Objects(endpoints["subsets"]))
        {
            var ports = Cells.Objects(subset["ports"]).Select(p => JsonAccess.Integer(p, "port")).ToList();
            foreach (var address in Cells.Objects(subset["addresses"]))
            {
                var ip = JsonAccess.String(address, "ip") ?? "";
                list.AddRange(ports.Count == 0 ? [ip] : ports.Select(port => $"{ip}:{port}"));
            }
        }

        return Cells.List(list);
    }
}
