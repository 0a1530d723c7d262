namespace OvnUnidler.Lab;

/// <summary>
/// A private directory for one lab's sockets, databases and logs. Unix socket paths are limited
/// to 108 bytes, so it lives directly under /tmp with a short name.
/// </summary>
public sealed class LabDirectory : IDisposable
{
    private LabDirectory(string path) => Path = path;

    public string Path { get; }

    public bool KeepOnDispose { get; set; }

    public static LabDirectory Create(string prefix = "ovnlab")
    {
        var path = System.IO.Path.Combine("/tmp", $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)]);
        Directory.CreateDirectory(path);
        return new LabDirectory(path);
    }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (!KeepOnDispose && Directory.Exists(Path))
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A daemon that is still shutting down may recreate its socket; leftovers in /tmp are harmless.
            }
        }
    }
}
