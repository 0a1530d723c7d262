namespace OvnUnidler.Lab.Cluster;

/// <summary>The operator's own build output, which every starter of an operator process runs.</summary>
public static class OperatorBuild
{
    /// <summary>
    /// src/OvnUnidler.Operator/bin/CONFIG/TFM/ovn-unidler.dll (built by every project that
    /// references the operator), found from the caller's output directory upwards. Not the copy
    /// beside the caller: there the caller's own versions of shared assemblies (a test's, the API
    /// double's ASP.NET Core ones) stand in for the operator's, and it does not start.
    /// </summary>
    public static string EntryAssembly
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            for (var directory = output.Parent; directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "src", "OvnUnidler.Operator", "bin", output.Parent!.Name, output.Name, "ovn-unidler.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException($"the operator's build output (src/OvnUnidler.Operator/bin/{output.Parent?.Name}/{output.Name}/ovn-unidler.dll) is missing above {output.FullName}; build the operator first");
        }
    }
}
