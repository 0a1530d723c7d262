namespace OvnUnidler.KubernetesDouble.Authorization;

// What RBAC decides on ("Review your request attributes"): for a resource request the verb, API
// group, resource, subresource, namespace and name; for a non-resource request the lower-case
// HTTP method and the path. Name is also set for a list or watch with a fieldSelector of
// metadata.name=NAME, which is how resourceNames can allow a list or watch of one object.
public sealed record RequestAttributes
{
    public required string Verb { get; init; }

    public required bool IsResourceRequest { get; init; }

    public string ApiGroup { get; init; } = "";

    public string Resource { get; init; } = "";

    public string? Subresource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string Path { get; init; } = "/";

    // "deployments/scale": how RBAC rules name a subresource.
    public string ResourceWithSubresource => Subresource is null ? Resource : $"{Resource}/{Subresource}";
}
