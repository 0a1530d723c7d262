using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>A kubeconfig file pointing at the API double, for the command-line tools.</summary>
public sealed class DoubleKubeconfig : IDisposable
{
    private DoubleKubeconfig(string path) => Path = path;

    public string Path { get; }

    /// <summary>As cluster-admin, or as the holder of <paramref name="token"/>.</summary>
    public static DoubleKubeconfig Write(KubernetesApiDouble api, string? token = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, api.KubeconfigFor(token ?? api.AdminToken));
        return new DoubleKubeconfig(path);
    }

    public void Dispose() => File.Delete(Path);
}
