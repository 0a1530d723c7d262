using OvnUnidler.Manifests;

namespace OvnUnidler.Testing;

/// <summary>The repository the tests run in (the directory holding Operator.sln).</summary>
public static class Repository
{
    public static string Root { get; } =
        RepositoryRoot.Above(AppContext.BaseDirectory) ?? throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A repository path in the form the tests print: forward slashes, relative to the root.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
}
