using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Http;

// What a request path names: a resource collection, object or subresource, a discovery
// document, or nothing the double serves.
internal sealed record ApiTarget(ApiTargetKind Kind)
{
    public string Group { get; init; } = "";

    public string Version { get; init; } = "";

    // The plural as written in the URL (kept for the journal even when unknown).
    public string Resource { get; init; } = "";

    public ResourceType? Type { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? Subresource { get; init; }

    // /api/v1/watch/... (deprecated in favour of ?watch=true, still served).
    public bool LegacyWatch { get; init; }

    public JsonNode? Document { get; init; }

    public bool IsCollection => Name is null;
}
