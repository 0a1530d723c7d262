using OvnUnidler.Manifests;

namespace OvnUnidler.Testing.Deployment;

/// <summary>deploy/'s variants (DeployVariant.RenderAll), rendered once per test run.</summary>
public static class DeployVariants
{
    private static readonly Lazy<IReadOnlyList<DeployVariant>> Rendered = new(() => DeployVariant.RenderAll(Repository.Root));

    public static IReadOnlyList<DeployVariant> All => Rendered.Value;

    public static DeployVariant Named(string directory) => All.Single(variant => variant.Directory == directory);

    /// <summary>The first variant (by directory) whose operator runs in this mode.</summary>
    public static DeployVariant WithMode(string mode) => All.First(variant => variant.Mode == mode);
}
