namespace OvnUnidler.Testing.Deployment;

/// <summary>
/// Every kustomization under deploy/ that runs the operator, rendered once per test run. Variants
/// that render the same manifests (deploy/ and the directory it includes) count once.
/// </summary>
public static class DeployVariants
{
    private static readonly Lazy<IReadOnlyList<DeployVariant>> Rendered = new(RenderAll);

    public static IReadOnlyList<DeployVariant> All => Rendered.Value;

    public static DeployVariant Named(string directory) => All.Single(variant => variant.Directory == directory);

    /// <summary>The first variant (by directory) whose operator runs in this mode.</summary>
    public static DeployVariant WithMode(string mode) => All.First(variant => variant.Mode == mode);

    public static IEnumerable<string> Directories() =>
        Directory.EnumerateFiles(Repository.Combine("deploy"), "kustomization.yaml", SearchOption.AllDirectories)
            .Select(file => Repository.Relative(Path.GetDirectoryName(file)!))
            .Order(StringComparer.Ordinal);

    private static IReadOnlyList<DeployVariant> RenderAll()
    {
        var variants = new List<DeployVariant>();
        foreach (var directory in Directories())
        {
            if (DeployVariant.Render(directory) is { } variant && variants.All(other => other.Rendered != variant.Rendered))
            {
                variants.Add(variant);
            }
        }

        return variants;
    }
}
