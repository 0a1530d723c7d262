namespace OvnUnidler.Manifests;

/// <summary>The checkout deploy/ and crds/ are read from: the nearest directory holding Operator.sln.</summary>
public static class RepositoryRoot
{
    /// <summary>The root above <paramref name="start"/> (itself included), or null outside a checkout.</summary>
    public static string? Above(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
