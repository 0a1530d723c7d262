using System.Text.Json.Nodes;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>One resource of a built variant, as JSON after every patch, with where it came from.</summary>
public sealed record BuiltResource(JsonObject Body, ManifestSource Source)
{
    public ResourceId Id => ResourceId.Of(Body);
}
