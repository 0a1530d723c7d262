using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.KubernetesDouble.Errors;

namespace OvnUnidler.KubernetesDouble.Authorization;

// The Status of a refused request, worded as the API server words it: 401 when authentication
// fails, and for a 403 the resource (plural.group), the name when there is one, and why:
//   deployments.apps "web" is forbidden: User "system:serviceaccount:ns:sa" cannot get resource
//   "deployments/scale" in API group "apps" in the namespace "ns"
// with details {name, group, kind: the plural}; "at the cluster scope" for cluster-scoped
// requests, and `forbidden: User "u" cannot get path "/apis"` for non-resource ones.
internal static class AccessErrors
{
    public static ApiError Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiError Forbidden(UserInfo user, RequestAttributes request)
    {
        if (!request.IsResourceRequest)
        {
            return new ApiError(403, "Forbidden", $"forbidden: User \"{user.Name}\" cannot {request.Verb} path \"{request.Path}\"");
        }

        var scope = string.IsNullOrEmpty(request.Namespace) ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        var reason = $"User \"{user.Name}\" cannot {request.Verb} resource \"{request.ResourceWithSubresource}\" in API group \"{request.ApiGroup}\" {scope}";
        var qualified = request.ApiGroup.Length == 0 ? request.Resource : $"{request.Resource}.{request.ApiGroup}";
        var message = string.IsNullOrEmpty(request.Name)
            ? $"{qualified} is forbidden: {reason}"
            : $"{qualified} \"{request.Name}\" is forbidden: {reason}";
        return new ApiError(403, "Forbidden", message) { Name = string.IsNullOrEmpty(request.Name) ? null : request.Name, Group = request.ApiGroup, Kind = request.Resource };
    }
}
