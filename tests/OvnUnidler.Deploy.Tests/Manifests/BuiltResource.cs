using System.Text.Json.Nodes;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>One resource of a rendered variant, as JSON.</summary>
public sealed record BuiltResource(JsonObject Body)
{
    public ResourceId Id => ResourceId.Of(Body);
}
