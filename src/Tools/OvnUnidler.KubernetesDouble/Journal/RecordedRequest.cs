using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.KubernetesDouble.Authorization;
using OvnUnidler.KubernetesDouble.Faults;

namespace OvnUnidler.KubernetesDouble.Journal;

// One request the double handled. Verb is the Kubernetes verb (get, list, watch, create,
// update, patch, delete, deletecollection), Group is "" for the core API, Subresource and
// Namespace are null when absent. Time is when the request arrived (the double's TimeProvider).
public sealed record RecordedRequest
{
    public required string Verb { get; init; }

    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Resource { get; init; }

    public string? Subresource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public required int StatusCode { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required string Method { get; init; }

    public required string Path { get; init; }

    public string? Query { get; init; }

    public string? ContentType { get; init; }

    // The request body as sent (when KubernetesApiDoubleOptions.RecordRequestBodies is set).
    public string? Body { get; init; }

    // How long the double took to answer (for a watch: to start the stream).
    public TimeSpan Duration { get; init; }

    // The fault that answered or delayed the request, if one did.
    public FaultRule? Fault { get; init; }

    public string? UserAgent { get; init; }

    // Who sent it (null when the credentials were refused: 401), what RBAC was asked, and its answer.
    public UserInfo? User { get; init; }

    public RequestAttributes? Attributes { get; init; }

    public AuthorizationDecision? Authorization { get; init; }
}
