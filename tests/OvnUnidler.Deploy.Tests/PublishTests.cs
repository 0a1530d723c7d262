using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OvnUnidler.Deploy.Tests;

public sealed partial class PublishTests
{
    [Fact]
    public async Task The_dockerfile_publish_step_produces_an_operator_that_starts()
    {
        var dockerfile = await File.ReadAllLinesAsync(Repository.Combine("Dockerfile"), TestContext.Current.CancellationToken);
        var publish = PublishStep().Match(dockerfile.Single(line => line.StartsWith("RUN dotnet publish", StringComparison.Ordinal)));
        Assert.True(publish.Success, "the Dockerfile's publish step is not `RUN dotnet publish PROJECT -c CONFIG -o DIR`");
        var output = Directory.CreateTempSubdirectory("publish-").FullName;
        try
        {
            var (exit, log) = await RunAsync("dotnet", ["publish", publish.Groups["project"].Value, "-c", publish.Groups["configuration"].Value, "-o", output]);
            Assert.True(exit == 0, log);
            Assert.True(File.Exists(Path.Combine(output, "ovn-unidler.dll")));
            Assert.True(File.Exists(Path.Combine(output, "config", "appsettings.json")));

            var (helpExit, help) = await RunAsync("dotnet", [Path.Combine(output, "ovn-unidler.dll"), "help"]);
            Assert.Equal(0, helpExit);
            Assert.Contains("usage: ovn-unidler", help, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^RUN dotnet publish (?<project>\S+) -c (?<configuration>\S+) -o (?<output>\S+)$")]
    private static partial Regex PublishStep();
}
