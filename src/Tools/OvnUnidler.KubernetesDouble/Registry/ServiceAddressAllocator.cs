using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

// The API server's Service IP and node port allocators: a Service without spec.clusterIP gets
// one (10.96.0.0/16, or fd00:10:96::/112 for IPv6), an explicit one must not be taken, and
// NodePort/LoadBalancer ports get node ports from 30000-32767. Unlike a real server, an explicit
// clusterIP outside those ranges is accepted, so tests can use the OVN lab's VIPs.
// Only used with the store's lock held.
internal sealed class ServiceAddressAllocator
{
    private const int FirstNodePort = 30000;
    private const int LastNodePort = 32767;

    private readonly HashSet<string> clusterIps = new(StringComparer.Ordinal);
    private readonly HashSet<long> nodePorts = [];
    private long nextIpv4 = 10;
    private long nextIpv6 = 10;
    private int nextNodePort = FirstNodePort;
    private readonly List<string> pendingIps = [];
    private readonly List<long> pendingPorts = [];

    // Allocates all or nothing: on any error, what this call took is given back.
    public List<FieldError> Allocate(JsonObject spec, JsonObject? oldSpec)
    {
        pendingIps.Clear();
        pendingPorts.Clear();
        var errors = AllocateAll(spec, oldSpec);
        if (errors.Count > 0)
        {
            pendingIps.ForEach(ip => clusterIps.Remove(ip));
            pendingPorts.ForEach(port => nodePorts.Remove(port));
        }

        return errors;
    }

    private List<FieldError> AllocateAll(JsonObject spec, JsonObject? oldSpec)
    {
        var errors = new List<FieldError>();
        var serviceType = JsonAccess.String(spec, "type") ?? "ClusterIP";
        if (serviceType == "ExternalName")
        {
            return errors;
        }

        var oldIp = JsonAccess.String(oldSpec, "clusterIP");
        var requested = JsonAccess.String(spec, "clusterIP");
        if (string.IsNullOrEmpty(requested) && !string.IsNullOrEmpty(oldIp))
        {
            // An update that omits allocated values keeps them (the registry patches them back in).
            foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
            {
                if (oldSpec![field] is { } value)
                {
                    spec[field] = value.DeepClone();
                }
            }
        }
        else if (oldIp is not null && requested != oldIp)
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", requested, "may not change once set"));
            return errors;
        }
        else if (oldIp is null)
        {
            AllocateClusterIp(spec, requested, errors);
        }

        AllocateNodePorts(spec, oldSpec, serviceType, errors);
        return errors;
    }

    public void Release(JsonObject? spec)
    {
        if (JsonAccess.String(spec, "clusterIP") is { } ip)
        {
            clusterIps.Remove(ip);
        }

        foreach (var port in (spec?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (JsonAccess.Integer(port, "nodePort") is { } nodePort)
            {
                nodePorts.Remove(nodePort);
            }
        }
    }

    // Node ports the old version held and the new one does not are freed on update.
    public void ReleaseDropped(JsonObject? oldSpec, JsonObject newSpec)
    {
        var kept = ((newSpec["ports"] as JsonArray)?.OfType<JsonObject>() ?? []).Select(port => JsonAccess.Integer(port, "nodePort")).ToHashSet();
        foreach (var port in (oldSpec?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (JsonAccess.Integer(port, "nodePort") is { } nodePort && !kept.Contains(nodePort))
            {
                nodePorts.Remove(nodePort);
            }
        }
    }

    private void AllocateClusterIp(JsonObject spec, string? requested, List<FieldError> errors)
    {
        var families = (spec["ipFamilies"] as JsonArray)?.Select(JsonAccess.String).OfType<string>().ToList() ?? [];
        if (requested == "None")
        {
            spec["clusterIPs"] = new JsonArray("None");
            spec["ipFamilies"] ??= new JsonArray(families.FirstOrDefault() ?? "IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            return;
        }

        string ip;
        if (!string.IsNullOrEmpty(requested))
        {
            if (!IPAddress.TryParse(requested, out var parsed))
            {
                errors.Add(FieldError.Invalid("spec.clusterIPs[0]", requested, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
                return;
            }

            ip = parsed.ToString();
            if (clusterIps.Contains(ip))
            {
                errors.Add(FieldError.Invalid("spec.clusterIPs", new JsonArray(requested), $"failed to allocate IP {requested}: provided IP is already allocated"));
                return;
            }

            families = [parsed.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4"];
        }
        else
        {
            var ipv6 = families.FirstOrDefault() == "IPv6";
            do
            {
                ip = ipv6 ? $"fd00:10:96::{nextIpv6++:x}" : $"10.96.{nextIpv4 / 256}.{nextIpv4++ % 256}";
            }
            while (clusterIps.Contains(ip));
            families = [ipv6 ? "IPv6" : "IPv4"];
        }

        clusterIps.Add(ip);
        pendingIps.Add(ip);
        spec["clusterIP"] = ip;
        spec["clusterIPs"] = new JsonArray(ip);
        spec["ipFamilies"] = new JsonArray(families[0]);
        spec["ipFamilyPolicy"] ??= "SingleStack";
    }

    private void AllocateNodePorts(JsonObject spec, JsonObject? oldSpec, string serviceType, List<FieldError> errors)
    {
        if (serviceType is not ("NodePort" or "LoadBalancer") || spec["ports"] is not JsonArray ports)
        {
            return;
        }

        var oldPorts = (oldSpec?["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is not JsonObject port)
            {
                continue;
            }

            var requested = JsonAccess.Integer(port, "nodePort");
            var previous = oldPorts.FirstOrDefault(old => JsonAccess.Integer(old, "port") == JsonAccess.Integer(port, "port")
                && JsonAccess.String(old, "protocol") == JsonAccess.String(port, "protocol"));
            var previousNodePort = JsonAccess.Integer(previous, "nodePort");
            if (requested is null && previousNodePort is { } kept)
            {
                port["nodePort"] = kept;
                continue;
            }

            if (requested is { } explicitPort)
            {
                if (explicitPort == previousNodePort)
                {
                    continue;
                }

                if (explicitPort is < FirstNodePort or > LastNodePort)
                {
                    errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", explicitPort, $"provided port is not in the valid range. The range of valid ports is {FirstNodePort}-{LastNodePort}"));
                }
                else if (!nodePorts.Add(explicitPort))
                {
                    errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", explicitPort, "provided port is already allocated"));
                }
                else
                {
                    pendingPorts.Add(explicitPort);
                }

                continue;
            }

            for (var attempts = 0; attempts <= LastNodePort - FirstNodePort; attempts++)
            {
                var candidate = nextNodePort;
                nextNodePort = nextNodePort == LastNodePort ? FirstNodePort : nextNodePort + 1;
                if (nodePorts.Add(candidate))
                {
                    pendingPorts.Add(candidate);
                    port["nodePort"] = candidate;
                    break;
                }
            }
        }
    }
}
