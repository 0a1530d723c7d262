using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>A kubeconfig file pointing at the API double, for the command-line tools.</summary>
public sealed class DoubleKubeconfig : IDisposable
{
    private DoubleKubeconfig(string path) => Path = path;

    public string Path { get; }

    public static DoubleKubeconfig Write(KubernetesApiDouble api)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: double
              cluster:
                server: {api.BaseAddress}
            users:
            - name: tester
              user:
                token: test-token
            contexts:
            - name: double
              context:
                cluster: double
                user: tester
            current-context: double
            """);
        return new DoubleKubeconfig(path);
    }

    public void Dispose() => File.Delete(Path);
}
