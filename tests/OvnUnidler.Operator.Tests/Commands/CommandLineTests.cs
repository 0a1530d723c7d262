using OvnUnidler.Operator.Commands;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Commands;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_prints_every_command_and_exits_zero_without_a_cluster_or_kubeconfig()
    {
        var (exit, output, error) = await OperatorCommand.RunAsync("--help");

        Assert.True(exit == ExitCodes.Success, $"exit {exit}: {error}");
        Assert.Contains("ovn-unidler [command] [options]", output, StringComparison.Ordinal);
        foreach (var command in new[] { "run", "idle", "wake", "status", "record", "replay", "generate-crds" })
        {
            Assert.Contains($"\n  {command} ", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }

        Assert.Empty(error);
    }

    [Fact]
    public async Task Help_of_idle_prints_its_argument_and_kubectl_options_and_exits_zero_without_a_kubeconfig()
    {
        var (exit, output, error) = await OperatorCommand.RunAsync("idle", "--help");

        Assert.True(exit == ExitCodes.Success, $"exit {exit}: {error}");
        Assert.Contains("ovn-unidler idle <SERVICE> [options]", output, StringComparison.Ordinal);
        Assert.Contains("-n, --namespace <NAMESPACE>", output, StringComparison.Ordinal);
        Assert.Contains("--kubeconfig <PATH>", output, StringComparison.Ordinal);
        Assert.Contains("--context <NAME>", output, StringComparison.Ordinal);
        Assert.Contains("--dry-run", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Version_prints_the_operator_version_and_exits_zero_without_a_cluster()
    {
        var (exit, output, error) = await OperatorCommand.RunAsync("--version");

        Assert.True(exit == ExitCodes.Success, $"exit {exit}: {error}");
        var version = typeof(CommandLine).Assembly.GetName().Version!;
        Assert.StartsWith($"{version.Major}.{version.Minor}.{version.Build}", output.Trim(), StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_usage_error_in_the_built_operator_exits_two_and_names_the_problem_on_standard_error()
    {
        var (exit, output, error) = await OperatorCommand.RunAsync("idle", "web");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.Contains("no namespace for Service 'web'", error, StringComparison.Ordinal);
        Assert.Contains("ovn-unidler idle --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_answers_help_with_its_own_usage()
    {
        foreach (var command in CommandLine.CreateRoot().Subcommands)
        {
            foreach (var flag in new[] { "--help", "-h", "-?" })
            {
                var (exit, output, error) = await OperatorCommand.RunInProcessAsync(command.Name, flag);

                Assert.True(exit == ExitCodes.Success, $"{command.Name} {flag}: exit {exit}: {error}");
                Assert.Contains($"Usage:\n  ovn-unidler {command.Name}", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("'idel' is neither a command nor a configuration override", "idel", "shop/web")]
    [InlineData("'--bogus'", "status", "--bogus")]
    [InlineData("'a/b/c' is not NAMESPACE/SERVICE or SERVICE", "idle", "a/b/c")]
    [InlineData("'shop/web' is in namespace 'shop' but --namespace says 'other'", "wake", "shop/web", "-n", "other")]
    [InlineData("no Service given", "wake")]
    [InlineData("'--southbound' is required", "record", "--output", "rows.jsonl")]
    [InlineData("--duration must be more than 0 seconds", "record", "--southbound", "unix:/nonexistent", "--output", "rows.jsonl", "--duration", "0")]
    [InlineData("'--Unidler:Mode' has no value", "--Unidler:Mode")]
    [InlineData("'-x' is neither a command nor a configuration override", "run", "-x")]
    public async Task A_usage_error_exits_two_and_names_the_problem(string problem, params string[] arguments)
    {
        var (exit, output, error) = await OperatorCommand.RunInProcessAsync(arguments);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Southbound:Remote=tcp:nohost")]
    [InlineData("run", "--Southbound:Remote=tcp:nohost")]
    [InlineData("run", "--Southbound:Remote", "tcp:nohost")]
    [InlineData("/Southbound:Remote=tcp:nohost")]
    public async Task Configuration_overrides_reach_the_operator_with_or_without_the_run_command(params string[] arguments)
    {
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("ovn-unidler-kubeconfig-").FullName, "config");
        await File.WriteAllTextAsync(kubeconfig, UnreachableCluster, TestContext.Current.CancellationToken);
        try
        {
            var (exit, _, error) = await OperatorCommand.RunInProcessAsync([.. arguments, $"--Kubernetes:Kubeconfig={kubeconfig}", "--Http:Port=0"]);

            Assert.Equal(ExitCodes.Configuration, exit);
            Assert.Contains("Southbound:Remote entry 'tcp:nohost'", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(kubeconfig)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_kubeconfig_is_a_configuration_error_naming_the_file()
    {
        var (exit, output, error) = await OperatorCommand.RunInProcessAsync("status", "--kubeconfig", "/nonexistent/kubeconfig");

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Empty(output);
        Assert.Contains("/nonexistent/kubeconfig", error, StringComparison.Ordinal);
    }

    // Parsed, never contacted: option validation stops the operator first.
    private const string UnreachableCluster = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nowhere
          cluster: {server: "http://127.0.0.1:9"}
        users:
        - name: nobody
          user: {token: unused}
        contexts:
        - name: nowhere
          context: {cluster: nowhere, user: nobody}
        current-context: nowhere
        """;
}
