using Microsoft.AspNetCore.Http;
using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.KubernetesDouble.Authorization;
using OvnUnidler.KubernetesDouble.Errors;

namespace OvnUnidler.KubernetesDouble.Http;

internal sealed partial class ApiRequestHandler
{
    // Authentication, then RBAC, before any handler (and before faults, which stand for the
    // handlers' failures): as in the API server's filter chain, a refused request reaches nothing.
    private (UserInfo? User, RequestAttributes Attributes, AuthorizationDecision? Decision) Authenticate(HttpRequest request)
    {
        var user = authenticator.Authenticate(request.Headers.Authorization);
        var attributes = RequestAttributesResolver.Resolve(request.Method, request.Path.Value ?? "/", request.Query);
        return (user, attributes, user is null ? null : authorizer.Authorize(user, attributes));
    }

    private static ApiError? Refusal(UserInfo? user, RequestAttributes attributes, AuthorizationDecision? decision) =>
        user is null ? AccessErrors.Unauthorized()
        : decision is { Allowed: false } ? AccessErrors.Forbidden(user, attributes)
        : null;
}
