namespace OvnUnidler.Benchmarks.Running;

/// <summary>The checkout the benchmark runs in (the directory holding Operator.sln), where artifacts/ goes.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return Environment.CurrentDirectory;
    }
}
