using System.Text.Json.Nodes;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>How kustomize tells resources apart: group, kind, namespace and name.</summary>
public sealed record ResourceId(string Group, string Kind, string? Namespace, string Name)
{
    public static ResourceId Of(JsonObject resource)
    {
        var apiVersion = resource["apiVersion"]?.GetValue<string>() ?? throw new FormatException("a resource has no apiVersion");
        var kind = resource["kind"]?.GetValue<string>() ?? throw new FormatException("a resource has no kind");
        var metadata = resource["metadata"] as JsonObject ?? throw new FormatException($"a {kind} has no metadata");
        var name = metadata["name"]?.GetValue<string>() ?? throw new FormatException($"a {kind} has no name");
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return new ResourceId(slash < 0 ? "" : apiVersion[..slash], kind, metadata["namespace"]?.GetValue<string>(), name);
    }

    public override string ToString() => $"{Kind}{(Group.Length == 0 ? "" : "." + Group)} {(Namespace is null ? "" : Namespace + "/")}{Name}";
}
