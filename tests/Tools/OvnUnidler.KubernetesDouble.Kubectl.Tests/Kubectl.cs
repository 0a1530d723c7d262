using System.Diagnostics;
using System.Text;

namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>
/// Real kubectl of the version the double emulates (1.31: the double speaks JSON only, and 1.32+
/// send protobuf for create), against one double through a kubeconfig file for its HTTPS address
/// (kubectl sends a bearer token only over TLS). Without that kubectl the tests skip, saying why;
/// with the environment variable CI set they fail instead.
/// </summary>
public sealed class Kubectl : IDisposable
{
    public const string Path = "/usr/lib/google-cloud-sdk/bin/kubectl.1.31";

    private readonly string directory;
    private readonly string kubeconfig;

    private Kubectl(string kubeconfigText)
    {
        directory = Directory.CreateTempSubdirectory("kubectl-double-").FullName;
        kubeconfig = System.IO.Path.Combine(directory, "kubeconfig");
        File.WriteAllText(kubeconfig, kubeconfigText);
    }

    /// <summary>kubectl as the holder of <paramref name="token"/>, or with no credentials (system:anonymous) when it is null.</summary>
    public static Kubectl For(KubernetesApiDouble api, string? token)
    {
        if (!File.Exists(Path))
        {
            var reason = $"{Path} is not installed; the kubectl tests need the kubectl matching the double's emulated version (1.31)";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        return new Kubectl(token is null ? api.AnonymousKubeconfig : api.HttpsKubeconfigFor(token));
    }

    /// <summary>Writes a file beside the kubeconfig, for -f arguments.</summary>
    public string WriteFile(string name, string content)
    {
        var file = System.IO.Path.Combine(directory, name);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Runs kubectl to completion (with a deadline) and returns what it printed.</summary>
    public async Task<KubectlResult> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Deadline.Long, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish within {Deadline.Long}");
        }

        var result = new KubectlResult(process.ExitCode, await stdout, await stderr);
        TestContext.Current.TestOutputHelper?.WriteLine($"$ kubectl {string.Join(' ', arguments)}\n{result.Output}{result.Error}(exit {result.ExitCode})");
        return result;
    }

    /// <summary>Runs kubectl and fails the test unless it succeeds; returns its standard output.</summary>
    public async Task<string> SucceedAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
        return result.Output;
    }

    /// <summary>Starts a long-running kubectl (get -w) whose output lines arrive as they are printed.</summary>
    public KubectlStream Stream(params string[] arguments) => new(Start(arguments));

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a stopping kubectl: the temporary directory is cleaned later.
        }
    }

    private Process Start(string[] arguments)
    {
        var info = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(kubeconfig);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // No user-wide cache: discovery is read from this double, not a stale one.
        info.Environment["KUBECACHEDIR"] = System.IO.Path.Combine(directory, "cache");
        info.Environment["HOME"] = directory;
        return Process.Start(info)!;
    }
}
