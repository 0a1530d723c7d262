namespace OvnUnidler.Benchmarks.Running;

/// <summary>The checkout the benchmark runs in (the directory holding Operator.sln), where artifacts/ goes.</summary>
public static class RepositoryRoot
{
    /// <summary>The checkout above the working directory, else above the benchmark's binaries, else the working directory itself.</summary>
    public static string Find() =>
        Manifests.RepositoryRoot.Above(Environment.CurrentDirectory)
        ?? Manifests.RepositoryRoot.Above(AppContext.BaseDirectory)
        ?? Environment.CurrentDirectory;
}
