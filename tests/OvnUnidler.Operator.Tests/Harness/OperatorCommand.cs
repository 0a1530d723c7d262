using System.Diagnostics;
using System.Text;
using OvnUnidler.Lab.Cluster;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>
/// One run of the built `ovn-unidler` as a user types it, on a machine with no cluster: HOME is an
/// empty directory, and neither KUBECONFIG nor the in-cluster service variables are set.
/// </summary>
public static class OperatorCommand
{
    // A process start on a loaded machine; the commands themselves do no waiting.
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(60);

    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var home = Directory.CreateTempSubdirectory("ovn-unidler-home-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = home.FullName,
            };
            start.ArgumentList.Add(OperatorBuild.EntryAssembly);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["HOME"] = home.FullName;
            start.Environment.Remove("KUBECONFIG");
            start.Environment.Remove("KUBERNETES_SERVICE_HOST");
            start.Environment.Remove("KUBERNETES_SERVICE_PORT");
            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            try
            {
                await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(ExitDeadline, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"ovn-unidler {string.Join(' ', arguments)} did not exit within {ExitDeadline}");
            }

            return (process.ExitCode, await output.Within(), await error.Within());
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>The same command line run in this process, for the many cases where starting a process adds nothing.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunInProcessAsync(params string[] arguments)
    {
        using var output = new StringWriter(new StringBuilder());
        using var error = new StringWriter(new StringBuilder());
        var exit = await OvnUnidler.Operator.Commands.CommandLine.RunAsync(arguments, output, error, TestContext.Current.CancellationToken).Within(Deadline.Long);
        return (exit, output.ToString(), error.ToString());
    }
}
