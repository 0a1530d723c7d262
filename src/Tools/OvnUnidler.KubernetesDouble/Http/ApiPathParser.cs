using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Http;

// Resource URIs (API concepts, "Resource URIs"): /api/v1/... for the core group and
// /apis/GROUP/VERSION/... otherwise; cluster-scoped /RESOURCE[/NAME[/SUB]], namespaced
// /namespaces/NS/RESOURCE[/NAME[/SUB]], and /RESOURCE alone for a list across namespaces.
internal sealed class ApiPathParser(ResourceCatalog catalog, DiscoveryDocuments discovery)
{
    public ApiTarget Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length == 0)
        {
            return new ApiTarget(ApiTargetKind.Discovery) { Document = discovery.Root() };
        }

        switch (segments[0])
        {
            case "version" when segments.Length == 1:
                return new ApiTarget(ApiTargetKind.Discovery) { Document = DiscoveryDocuments.Version() };
            case "healthz" or "readyz" or "livez" when segments.Length == 1:
                return new ApiTarget(ApiTargetKind.Discovery) { Document = "ok" };
            case "api":
                return segments.Length switch
                {
                    1 => new ApiTarget(ApiTargetKind.Discovery) { Document = discovery.CoreVersions() },
                    2 when segments[1] == "v1" => new ApiTarget(ApiTargetKind.Discovery) { Document = discovery.ResourceList("", "v1") },
                    _ when segments[1] == "v1" => ParseResource("", "v1", segments[2..]),
                    _ => new ApiTarget(ApiTargetKind.Unknown),
                };
            case "apis":
                if (segments.Length == 1)
                {
                    return new ApiTarget(ApiTargetKind.Discovery) { Document = discovery.Groups() };
                }

                if (segments.Length == 2)
                {
                    var group = discovery.Group(segments[1]);
                    return group is null ? new ApiTarget(ApiTargetKind.Unknown) { Group = segments[1] } : new ApiTarget(ApiTargetKind.Discovery) { Document = group };
                }

                if (!catalog.HasGroupVersion(segments[1], segments[2]))
                {
                    return new ApiTarget(ApiTargetKind.Unknown) { Group = segments[1], Version = segments[2], Resource = segments.Length > 3 ? segments[3] : "" };
                }

                return segments.Length == 3
                    ? new ApiTarget(ApiTargetKind.Discovery) { Document = discovery.ResourceList(segments[1], segments[2]) }
                    : ParseResource(segments[1], segments[2], segments[3..]);
            default:
                return new ApiTarget(ApiTargetKind.Unknown);
        }
    }

    private ApiTarget ParseResource(string group, string version, string[] rest)
    {
        var legacyWatch = false;
        if (rest[0] == "watch" && rest.Length > 1)
        {
            legacyWatch = true;
            rest = rest[1..];
        }

        // namespaces/NS/RESOURCE... unless RESOURCE is not a namespaced resource of this group
        // version, in which case it is the namespace's own subresource (namespaces/NS/status).
        if (rest[0] == "namespaces" && rest.Length >= 3 && catalog.Find(group, version, rest[2]) is { Namespaced: true } namespacedType)
        {
            return Target(group, version, namespacedType, rest[2], rest[1], rest.Length > 3 ? rest[3] : null, rest.Length > 4 ? rest[4] : null, rest.Length > 5, legacyWatch);
        }

        var type = catalog.Find(group, version, rest[0]);
        if (type is null)
        {
            return new ApiTarget(ApiTargetKind.Unknown) { Group = group, Version = version, Resource = rest[0] };
        }

        // A namespaced resource without a namespace: only the collection, across namespaces.
        if (type.Namespaced && rest.Length > 1)
        {
            return new ApiTarget(ApiTargetKind.Unknown) { Group = group, Version = version, Resource = rest[0] };
        }

        return Target(group, version, type, rest[0], null, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null, rest.Length > 3, legacyWatch);
    }

    private static ApiTarget Target(
        string group, string version, ResourceType type, string plural, string? @namespace, string? name, string? subresource, bool tooLong, bool legacyWatch)
    {
        var known = !tooLong && (subresource is null
            || (subresource == "status" && type.HasStatusSubresource)
            || (subresource == "scale" && type.HasScaleSubresource));
        return new ApiTarget(known ? ApiTargetKind.Resource : ApiTargetKind.Unknown)
        {
            Group = group,
            Version = version,
            Resource = plural,
            Type = known ? type : null,
            Namespace = @namespace,
            Name = name,
            Subresource = subresource,
            LegacyWatch = legacyWatch,
        };
    }
}
