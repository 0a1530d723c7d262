using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// The EndpointSlice controller: for a Service with a selector, slices labelled
// kubernetes.io/service-name and managed-by endpointslice-controller.k8s.io that hold one
// endpoint per Pod of its namespace whose labels the selector matches, with a targetRef naming
// the pod. As the real controller (ShouldPodBeInEndpoints with terminating pods included), a pod
// is listed as soon as it has an address and until it is terminal (Succeeded, Failed), ready or
// not: serving is the pod's Ready condition (or publishNotReadyAddresses), ready is serving and
// not terminating, terminating is its deletion. Consumers such as ovn-kubernetes therefore see a
// starting pod's slice, with its port numbers, long before the pod is ready.
// A Service without such pods keeps one placeholder slice with no endpoints and no ports, as the
// real controller's reconciler makes it (a consumer such as ovn-kubernetes reads port numbers from
// every slice, so a placeholder naming the Service's ports would not be inert). At most 100
// endpoints per slice (the controller's default --max-endpoints-per-slice).
internal sealed class EndpointSliceReconciler(ResourceRegistry registry)
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ControllerName = "endpointslice-controller.k8s.io";
    private const int MaxEndpointsPerSlice = 100;

    public void SyncLocked(StoreTransaction tx, string @namespace, string serviceName)
    {
        var catalog = registry.Catalog;
        var slices = catalog.EndpointSlices;
        var existing = registry.ListLocked(tx, slices, @namespace)
            .Where(slice => slice.Labels.GetValueOrDefault(ServiceNameLabel) == serviceName && slice.Labels.GetValueOrDefault(ManagedByLabel) == ControllerName)
            .OrderBy(slice => slice.Name, StringComparer.Ordinal)
            .ToList();
        var serviceStored = registry.GetLocked(tx, catalog.Services, @namespace, serviceName);
        var service = serviceStored is null ? null : registry.Load(catalog.Services, serviceStored);
        var selector = JsonAccess.StringMap(JsonAccess.Object(service, "spec")?["selector"]);
        if (service is null || selector is null || selector.Count == 0)
        {
            // Gone, or not selector-based (its endpoints are someone else's): remove ours.
            existing.ForEach(slice => registry.DeleteLocked(tx, slices, slice.Namespace, slice.Name));
            return;
        }

        var spec = JsonAccess.Object(service, "spec")!;
        var ipv6 = JsonAccess.String((spec["ipFamilies"] as JsonArray)?.FirstOrDefault()) == "IPv6"
            || (JsonAccess.String(spec, "clusterIP")?.Contains(':', StringComparison.Ordinal) ?? false);
        var publishNotReady = spec["publishNotReadyAddresses"] is JsonValue flag && flag.GetValueKind() == System.Text.Json.JsonValueKind.True;
        var endpoints = ListedPods(tx, @namespace, selector)
            .Select(pod => Endpoint(@namespace, pod, ipv6, publishNotReady))
            .OfType<JsonObject>()
            .OrderBy(endpoint => JsonAccess.String(JsonAccess.Object(endpoint, "targetRef"), "name"), StringComparer.Ordinal)
            .ToList();
        var chunks = endpoints.Chunk(MaxEndpointsPerSlice).Select(chunk => chunk.ToList()).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add([]);
        }

        for (var i = 0; i < Math.Max(chunks.Count, existing.Count); i++)
        {
            if (i >= chunks.Count)
            {
                registry.DeleteLocked(tx, slices, existing[i].Namespace, existing[i].Name);
                continue;
            }

            var desired = Slice(service, serviceName, ipv6 ? "IPv6" : "IPv4", chunks[i].Count == 0 ? [] : Ports(spec), chunks[i]);
            if (i >= existing.Count)
            {
                registry.CreateLocked(tx, slices, @namespace, desired);
                continue;
            }

            var current = registry.Load(slices, existing[i]);
            desired["metadata"] = Merged(current, desired);
            registry.CommitUpdateLocked(tx, slices, existing[i], desired, statusOnly: false);
        }
    }

    // The Services of a namespace whose selector matches these pod labels: the ones whose slices
    // a change to pods with these labels can alter (the controller's pod-to-Service membership).
    public IEnumerable<string> ServicesSelectingLocked(StoreTransaction tx, string @namespace, IReadOnlyDictionary<string, string> podLabels)
    {
        var services = registry.Catalog.Services;
        foreach (var stored in registry.ListLocked(tx, services, @namespace))
        {
            var selector = JsonAccess.StringMap(JsonAccess.Path(registry.Load(services, stored), "spec", "selector"));
            if (selector is { Count: > 0 } && Selects(selector, podLabels))
            {
                yield return stored.Name;
            }
        }
    }

    public static IReadOnlyDictionary<string, string> TemplateLabels(JsonObject workload) =>
        JsonAccess.StringMap(JsonAccess.Path(workload, "spec", "template", "metadata")?["labels"]) ?? new Dictionary<string, string>();

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    // Label matching reads the labels the store keeps beside each pod; only matching pods are parsed.
    // A pod without an address is left out by Endpoint (no address of the slice's family).
    private IEnumerable<JsonObject> ListedPods(StoreTransaction tx, string @namespace, IReadOnlyDictionary<string, string> selector)
    {
        var pods = registry.Catalog.Pods;
        return registry.ListLocked(tx, pods, @namespace)
            .Where(pod => Selects(selector, pod.Labels))
            .Select(pod => registry.Load(pods, pod))
            .Where(pod => JsonAccess.String(JsonAccess.Object(pod, "status"), "phase") is not ("Succeeded" or "Failed"))
            .ToList();
    }

    // Slice ports come from the Service's ports: the target port, which for a named target port
    // the double takes to be the Service port itself (it has no pod specs to resolve names).
    private static JsonArray Ports(JsonObject spec)
    {
        var ports = new JsonArray();
        foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var number = JsonAccess.Integer(port["targetPort"]) ?? JsonAccess.Integer(port, "port") ?? 0;
            var slicePort = new JsonObject
            {
                ["name"] = JsonAccess.String(port, "name") ?? "",
                ["port"] = number,
                ["protocol"] = JsonAccess.String(port, "protocol") ?? "TCP",
            };
            if (JsonAccess.String(port, "appProtocol") is { } appProtocol)
            {
                slicePort["appProtocol"] = appProtocol;
            }

            ports.Add(slicePort);
        }

        return ports;
    }

    // An endpoint per pod address of the slice's family; a pod without one is left out.
    private static JsonObject? Endpoint(string @namespace, JsonObject pod, bool ipv6, bool publishNotReady)
    {
        var address = ((JsonAccess.Object(pod, "status")?["podIPs"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(ip => JsonAccess.String(ip, "ip"))
            .FirstOrDefault(ip => ip is not null && ip.Contains(':', StringComparison.Ordinal) == ipv6);
        if (address is null)
        {
            return null;
        }

        var endpoint = new JsonObject
        {
            ["addresses"] = new JsonArray(address),
            ["conditions"] = Conditions(pod, publishNotReady),
        };
        if (JsonAccess.String(JsonAccess.Object(pod, "spec"), "nodeName") is { Length: > 0 } node)
        {
            endpoint["nodeName"] = node;
        }

        endpoint["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = @namespace, ["name"] = ObjectMetadata.Name(pod), ["uid"] = ObjectMetadata.Uid(pod) };
        return endpoint;
    }

    private static JsonObject Conditions(JsonObject pod, bool publishNotReady)
    {
        var terminating = JsonAccess.Path(pod, "metadata")?["deletionTimestamp"] is not null;
        var serving = publishNotReady || PodManifest.IsReady(pod);
        return new JsonObject { ["ready"] = serving && !terminating, ["serving"] = serving, ["terminating"] = terminating };
    }

    private static JsonObject Slice(JsonObject service, string serviceName, string addressType, JsonArray ports, List<JsonObject> endpoints)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in ObjectMetadata.Labels(service))
        {
            labels[key] = value;
        }

        labels[ServiceNameLabel] = serviceName;
        labels[ManagedByLabel] = ControllerName;
        return new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject
            {
                ["generateName"] = serviceName + "-",
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Service",
                    ["name"] = serviceName,
                    ["uid"] = ObjectMetadata.Uid(service),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["addressType"] = addressType,
            ["endpoints"] = new JsonArray(endpoints.Select(endpoint => (JsonNode?)endpoint).ToArray()),
            ["ports"] = ports,
        };
    }

    // The existing slice's identity and resourceVersion with the desired labels and owner.
    private static JsonObject Merged(JsonObject current, JsonObject desired)
    {
        var metadata = (JsonObject)ObjectMetadata.Of(current).DeepClone();
        var wanted = ObjectMetadata.Of(desired);
        metadata["labels"] = wanted["labels"]?.DeepClone();
        metadata["ownerReferences"] = wanted["ownerReferences"]?.DeepClone();
        return metadata;
    }
}
