using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Http;

// Discovery (/api, /apis, /apis/GROUP, /api/v1, /apis/GROUP/VERSION, /version), in the
// unaggregated v1 form, so kubectl-like clients can find the resources the double serves.
internal sealed class DiscoveryDocuments(ResourceCatalog catalog, Func<string> serverAddress)
{
    private static readonly string[] ObjectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    // The Kubernetes version the double emulates. kubectl 1.32 and later send protobuf for some
    // requests (create) and do not fall back to JSON; the double speaks JSON only, so it answers
    // as 1.31 and /usr/bin/kubectl-style dispatchers pick a kubectl that talks JSON to it.
    public const string EmulatedMinor = "31";

    public JsonObject Root()
    {
        var paths = new JsonArray("/api", "/api/v1", "/apis", "/version");
        foreach (var groupVersion in GroupVersions())
        {
            paths.Add($"/apis/{groupVersion.Group}");
            paths.Add($"/apis/{groupVersion.Group}/{groupVersion.Version}");
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = EmulatedMinor,
        ["gitVersion"] = $"v1.{EmulatedMinor}.0+ovn-unidler-double",
        ["platform"] = "linux/amd64",
    };

    public JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress() }),
    };

    public JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var group in GroupVersions().GroupBy(gv => gv.Group))
        {
            groups.Add(GroupDocument(group.Key, group.Select(gv => gv.Version).ToList()));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public JsonObject? Group(string name)
    {
        var versions = GroupVersions().Where(gv => gv.Group == name).Select(gv => gv.Version).ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        var document = GroupDocument(name, versions);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    public JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in catalog.All.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(ObjectVerbs.Select(v => (JsonNode?)v).ToArray()),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray(type.ShortNames.Select(name => (JsonNode?)name).ToArray());
            }

            if (type.Categories.Count > 0)
            {
                resource["categories"] = new JsonArray(type.Categories.Select(name => (JsonNode?)name).ToArray());
            }

            resources.Add(resource);
            if (type.HasStatusSubresource)
            {
                resources.Add(Subresource(type, "status", type.Group, type.Version, type.Kind));
            }

            if (type.HasScaleSubresource)
            {
                resources.Add(Subresource(type, "scale", "autoscaling", "v1", "Scale"));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType type, string name, string group, string version, string kind) => new()
    {
        ["name"] = $"{type.Plural}/{name}",
        ["singularName"] = "",
        ["namespaced"] = type.Namespaced,
        ["group"] = group,
        ["version"] = version,
        ["kind"] = kind,
        ["verbs"] = new JsonArray(SubresourceVerbs.Select(v => (JsonNode?)v).ToArray()),
    };

    private static JsonObject GroupDocument(string name, IReadOnlyList<string> versions)
    {
        var list = new JsonArray();
        foreach (var version in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{name}/{version}", ["version"] = version });
        }

        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{name}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    private IEnumerable<(string Group, string Version)> GroupVersions() =>
        catalog.All.Where(t => t.Group.Length > 0).Select(t => (t.Group, t.Version)).Distinct().OrderBy(gv => gv.Group, StringComparer.Ordinal);
}
