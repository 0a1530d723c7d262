using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Authorization;

// One rule of a Role or ClusterRole, matched as the RBAC authorizer matches it: "*" in verbs,
// apiGroups and resources matches everything; "*/scale" matches the scale subresource of any
// resource; a plain resource never matches its subresources; resourceNames, when set, match only
// requests that carry one of those names (so never a create, a deletecollection, or a list or
// watch without a metadata.name field selector); nonResourceURLs match a path exactly or, ending
// in "*", by prefix.
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    private const string All = "*";

    public static PolicyRule Resource(IReadOnlyList<string> apiGroups, IReadOnlyList<string> resources, IReadOnlyList<string> verbs, IReadOnlyList<string>? resourceNames = null) =>
        new(verbs, apiGroups, resources, resourceNames ?? [], []);

    public static PolicyRule NonResource(IReadOnlyList<string> urls, IReadOnlyList<string> verbs) => new(verbs, [], [], [], urls);

    public bool Allows(RequestAttributes request)
    {
        if (!Verbs.Contains(All) && !Verbs.Contains(request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == All || url == request.Path
                || (url.EndsWith(All, StringComparison.Ordinal) && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        return (ApiGroups.Contains(All) || ApiGroups.Contains(request.ApiGroup))
            && Resources.Any(resource => MatchesResource(resource, request))
            && (ResourceNames.Count == 0 || (!string.IsNullOrEmpty(request.Name) && ResourceNames.Contains(request.Name)));
    }

    // The rule split into rules of one verb, one group, one resource and at most one name (or one
    // URL): what "every rule is used" means for least privilege.
    public IEnumerable<PolicyRule> Expand()
    {
        foreach (var verb in Verbs)
        {
            foreach (var url in NonResourceUrls)
            {
                yield return NonResource([url], [verb]);
            }

            foreach (var group in ApiGroups)
            {
                foreach (var resource in Resources)
                {
                    if (ResourceNames.Count == 0)
                    {
                        yield return Resource([group], [resource], [verb]);
                        continue;
                    }

                    foreach (var name in ResourceNames)
                    {
                        yield return Resource([group], [resource], [verb], [name]);
                    }
                }
            }
        }
    }

    public JsonObject ToJson()
    {
        var rule = new JsonObject();
        if (ApiGroups.Count > 0)
        {
            rule["apiGroups"] = Array(ApiGroups);
        }

        if (Resources.Count > 0)
        {
            rule["resources"] = Array(Resources);
        }

        if (ResourceNames.Count > 0)
        {
            rule["resourceNames"] = Array(ResourceNames);
        }

        if (NonResourceUrls.Count > 0)
        {
            rule["nonResourceURLs"] = Array(NonResourceUrls);
        }

        rule["verbs"] = Array(Verbs);
        return rule;
    }

    public static PolicyRule FromJson(JsonObject rule) =>
        new(Strings(rule["verbs"]), Strings(rule["apiGroups"]), Strings(rule["resources"]), Strings(rule["resourceNames"]), Strings(rule["nonResourceURLs"]));

    public override string ToString()
    {
        var names = ResourceNames.Count == 0 ? "" : $" named {string.Join(",", ResourceNames)}";
        return NonResourceUrls.Count > 0
            ? $"{string.Join(",", Verbs)} {string.Join(",", NonResourceUrls)}"
            : $"{string.Join(",", Verbs)} {string.Join(",", ApiGroups.Select(group => group.Length == 0 ? "core" : group))}/{string.Join(",", Resources)}{names}";
    }

    public bool Equals(PolicyRule? other) =>
        other is not null && Verbs.SequenceEqual(other.Verbs) && ApiGroups.SequenceEqual(other.ApiGroups) && Resources.SequenceEqual(other.Resources)
        && ResourceNames.SequenceEqual(other.ResourceNames) && NonResourceUrls.SequenceEqual(other.NonResourceUrls);

    public override int GetHashCode() => HashCode.Combine(string.Join(",", Verbs), string.Join(",", ApiGroups), string.Join(",", Resources), string.Join(",", ResourceNames), string.Join(",", NonResourceUrls));

    private static bool MatchesResource(string ruleResource, RequestAttributes request)
    {
        if (ruleResource == All || ruleResource == request.ResourceWithSubresource)
        {
            return true;
        }

        // "*/scale": this subresource of every resource.
        return request.Subresource is { } subresource && ruleResource == "*/" + subresource;
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(value => (JsonNode?)value)]);

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(item => JsonAccess.String(item)).OfType<string>()] : [];
}
