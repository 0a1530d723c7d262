using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s;
using k8s.Models;
using OvnUnidler.Deploy.Tests.Configuration;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Deploy.Tests.Rbac;
using OvnUnidler.KubernetesDouble;

namespace OvnUnidler.Deploy.Tests.Publishing;

/// <summary>
/// Replays the Dockerfile's build stage here: its `dotnet` commands, in order, from the repository
/// root (the stage's WORKDIR mirrors it), with only the output directory moved to a temporary one.
/// Then runs what was published, as the image's ENTRYPOINT would.
/// </summary>
public sealed class PublishTests
{
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_dockerfile_build_stage_publishes_an_operator_that_starts_and_serves_its_probes()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var image = Dockerfile.Load();
        var build = image.StageNamed("build");
        var commands = image.In(build, "RUN").Select(Dockerfile.SimpleCommand).ToList();
        Assert.All(commands, command => Assert.Equal("dotnet", command[0]));
        Assert.Contains(commands, command => command[1] == "publish");
        var work = Directory.CreateTempSubdirectory("ovn-unidler-publish-");
        try
        {
            var output = Path.Combine(work.FullName, "app");
            foreach (var command in commands)
            {
                var arguments = command.Skip(1).Select((argument, index) => index > 0 && command[index] is "-o" or "--output" ? output : argument).ToList();
                var (exitCode, log) = await ProcessRun.RunAsync("dotnet", arguments, Repository.Root, CommandDeadline, cancellation, Isolated(work.FullName));
                Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {exitCode}:\n{log}");
            }

            var entryPoint = Dockerfile.ExecForm(image.In(image.FinalStage, "ENTRYPOINT").Single());
            var assembly = Path.Combine(output, Path.GetFileName(entryPoint[1]));
            Assert.True(File.Exists(assembly), $"{entryPoint[1]} was not published");
            Assert.Equal(File.ReadAllText(Repository.Combine("config", "appsettings.json")), File.ReadAllText(Path.Combine(output, "config", "appsettings.json")));
            Assert.Equal(["Microsoft.NETCore.App"], Frameworks(Path.ChangeExtension(assembly, ".runtimeconfig.json")));

            var (helpExit, help) = await ProcessRun.RunAsync("dotnet", [assembly, "--help"], output, TimeSpan.FromSeconds(30), cancellation);
            Assert.Equal(0, helpExit);
            Assert.Contains("ovn-unidler [command] [options]", help, StringComparison.Ordinal);

            await RunsLikeTheCentralDeploymentAsync(image, assembly, output, work.FullName, cancellation);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // The ENTRYPOINT plus CMD of the image, as the central Deployment runs it (its mode, its probe
    // paths, its pod's namespace), against the Kubernetes API double. No OVN database is reachable,
    // so the operator must serve /healthz, answer /readyz as not ready, and still lead; every
    // request it makes must be one the central variant's roles allow.
    private static async Task RunsLikeTheCentralDeploymentAsync(Dockerfile image, string assembly, string output, string work, CancellationToken cancellation)
    {
        var central = OperatorWorkload.Of(Variants.Central);
        await using var api = await KubernetesApiDouble.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, cancellation)
            .WaitAsync(StepDeadline, cancellation);
        using (var client = new Kubernetes(api.ClientConfiguration))
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = central.Metadata.NamespaceProperty } }, cancellationToken: cancellation)
                .WaitAsync(StepDeadline, cancellation);
        }

        api.Requests.Clear();
        var kubeconfig = Path.Combine(work, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, api.Kubeconfig, cancellation).WaitAsync(StepDeadline, cancellation);
        var port = FreePort();
        using var operatorProcess = RunningProcess.Start("dotnet", [assembly, .. Dockerfile.ExecForm(image.In(image.FinalStage, "CMD").Single())], output, new Dictionary<string, string>
        {
            ["Unidler__Mode"] = central.Env("Unidler__Mode")!,
            ["POD_NAME"] = ContainerConfiguration.SamplePodName,
            ["POD_NAMESPACE"] = central.Metadata.NamespaceProperty,
            ["Http__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kubernetes__Kubeconfig"] = kubeconfig,
            ["Southbound__Remote"] = "tcp:127.0.0.1:9",
            ["Northbound__Remote"] = "tcp:127.0.0.1:9",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var container = central.Container;

        var live = await PollAsync(http, container.LivenessProbe.HttpGet.Path, operatorProcess, cancellation);
        Assert.True(live == HttpStatusCode.OK, $"GET {container.LivenessProbe.HttpGet.Path} answered {live}:\n{operatorProcess.Output}");
        // Both Leases created (the pipeline's and the Idler reconciler's): the instance leads, and its
        // watches, reads and Lease writes have all gone through the API.
        await api.Requests.WaitUntilAsync(journal => journal.Count(verb: "create", resource: "leases", statusCode: 201) == 2, StepDeadline, cancellation);
        using var ready = await http.GetAsync(container.ReadinessProbe.HttpGet.Path, cancellation).WaitAsync(StepDeadline, cancellation);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("northbound: not ready", await ready.Content.ReadAsStringAsync(cancellation).WaitAsync(StepDeadline, cancellation), StringComparison.Ordinal);
        Assert.False(operatorProcess.HasExited, operatorProcess.Output);

        var rules = ClusterRoleRules.Load(Variants.Central);
        var denied = api.Requests.Snapshot().Where(request => !rules.Allows(request.Verb, request.Group, request.Resource, request.Subresource, request.Namespace, request.Name))
            .Select(request => $"{request.Method} {request.Path}").Distinct().ToList();
        Assert.True(denied.Count == 0, $"the central variant's roles do not allow: {string.Join("; ", denied)}");
    }

    private static async Task<HttpStatusCode?> PollAsync(HttpClient http, string path, RunningProcess process, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(path, cancellation).WaitAsync(StepDeadline, cancellation);
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, cancellation);
            }
        }

        return null;
    }

    // Every MSBuild output and intermediate file under the temporary directory (the Dockerfile
    // builds in a clean tree; here other builds share the repository's obj/), and no build server
    // left running after the test.
    private static Dictionary<string, string> Isolated(string work) => new()
    {
        ["ArtifactsPath"] = Path.Combine(work, "artifacts"),
        ["UseArtifactsOutput"] = "true",
        ["UseSharedCompilation"] = "false",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
    };

    private static string[] Frameworks(string runtimeConfig)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var options = document.RootElement.GetProperty("runtimeOptions");
        return options.TryGetProperty("frameworks", out var many)
            ? [.. many.EnumerateArray().Select(framework => framework.GetProperty("name").GetString()!)]
            : [options.GetProperty("framework").GetProperty("name").GetString()!];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
