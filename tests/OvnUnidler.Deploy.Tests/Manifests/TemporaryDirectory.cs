namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>A scratch directory of files for one test, deleted afterwards.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("ovn-unidler-kustomize-");

    public string Path => directory.FullName;

    public string Write(string relative, string content)
    {
        var file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => directory.Delete(recursive: true);
}
