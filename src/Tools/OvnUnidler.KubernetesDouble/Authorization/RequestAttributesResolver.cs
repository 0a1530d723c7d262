using Microsoft.AspNetCore.Http;
using OvnUnidler.KubernetesDouble.Http;
using OvnUnidler.KubernetesDouble.Selection;

namespace OvnUnidler.KubernetesDouble.Authorization;

// The request attributes the API server derives from the URL before any handler runs, whether
// the resource exists or not ("Determine the request verb"): /api/VERSION/... and
// /apis/GROUP/VERSION/... with a resource are resource requests, everything else (/, /api,
// /apis/GROUP/VERSION, /version, /healthz) is a non-resource request whose verb is the lower-case
// HTTP method. GET of a collection is list (watch with watch=true or the /watch/ prefix), DELETE
// of a collection deletecollection. In /namespaces/NS/... the namespace is NS; for the namespace
// object itself (/api/v1/namespaces/NS) it is NS too.
internal static class RequestAttributesResolver
{
    private static readonly string[] NamespaceSubresources = ["status", "finalize"];

    public static RequestAttributes Resolve(string method, string path, IQueryCollection query)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var nonResource = new RequestAttributes { Verb = method.ToLowerInvariant(), IsResourceRequest = false, Path = path };
        if (parts.Length < 3 || parts[0] is not ("api" or "apis") || (parts[0] == "apis" && parts.Length < 4))
        {
            return nonResource;
        }

        var group = parts[0] == "apis" ? parts[1] : "";
        var rest = parts[(parts[0] == "apis" ? 3 : 2)..];
        var verb = method.ToUpperInvariant() switch
        {
            "GET" or "HEAD" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => "",
        };
        if (rest[0] == "watch" && rest.Length > 1)
        {
            verb = "watch";
            rest = rest[1..];
        }

        string? @namespace = null;
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            @namespace = rest[1];
            if (rest.Length > 2 && !NamespaceSubresources.Contains(rest[2]))
            {
                rest = rest[2..];
            }
        }

        var name = rest.Length > 1 ? rest[1] : null;
        if (name is null && verb == "get")
        {
            verb = ListQueryParser.IsTrue(query["watch"]) ? "watch" : "list";
        }

        if (name is null && verb is "list" or "watch" && FieldSelector.TryParse(query["fieldSelector"], out var selector, out _))
        {
            // RBAC's resourceNames can allow a list or watch that names its one object this way.
            name = selector.Terms.FirstOrDefault(term => term.Field == "metadata.name" && term.Equal).Value;
        }

        if (name is null && verb == "delete")
        {
            verb = "deletecollection";
        }

        return new RequestAttributes
        {
            Verb = verb,
            IsResourceRequest = true,
            ApiGroup = group,
            Resource = rest[0],
            Subresource = rest.Length > 2 ? rest[2] : null,
            Namespace = @namespace,
            Name = name,
            Path = path,
        };
    }
}
