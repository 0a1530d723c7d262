using System.Collections.Concurrent;
using System.Web;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>
/// Records every request one operator instance sends, as RBAC sees it: (API group, resource,
/// subresource, verb), on the client side so that the test's own requests are not mixed in.
/// </summary>
public sealed class ApiCallRecorder : DelegatingHandler
{
    private readonly ConcurrentDictionary<RbacRequest, int> calls = new();

    public IReadOnlyCollection<RbacRequest> Calls => [.. calls.Keys];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (RbacRequest.From(request.Method, request.RequestUri!) is { } call)
        {
            calls.TryAdd(call, 0);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>One kind of request in RBAC terms.</summary>
public readonly record struct RbacRequest(string Group, string Resource, string Verb)
{
    public static RbacRequest? From(HttpMethod method, Uri uri)
    {
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        int rest;
        string group;
        if (segments[0] == "api" && segments.Length >= 2)
        {
            group = "";
            rest = 2;
        }
        else if (segments[0] == "apis" && segments.Length >= 3)
        {
            group = segments[1];
            rest = 3;
        }
        else
        {
            return null;
        }

        var path = segments[rest..];
        if (path.Length >= 2 && path[0] == "namespaces" && path.Length > 2)
        {
            path = path[2..];
        }

        if (path.Length == 0)
        {
            return null;
        }

        var resource = path.Length >= 3 ? $"{path[0]}/{path[2]}" : path[0];
        var named = path.Length >= 2;
        var watch = HttpUtility.ParseQueryString(uri.Query)["watch"] == "true";
        var verb = method.Method switch
        {
            "GET" when watch => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => method.Method.ToLowerInvariant(),
        };
        return new RbacRequest(group, resource, verb);
    }
}
