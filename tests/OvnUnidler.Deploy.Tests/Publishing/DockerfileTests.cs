using System.Text.Json;
using System.Xml.Linq;
using OvnUnidler.Deploy.Tests.Configuration;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Deploy.Tests.Publishing;

public sealed class DockerfileTests
{
    private static readonly Dockerfile Image = Dockerfile.Load();

    [Fact]
    public void Builds_with_the_pinned_sdk_and_runs_on_the_runtime_of_the_target_framework()
    {
        using var globalJson = JsonDocument.Parse(File.ReadAllText(Repository.Combine("global.json")));
        var sdk = Version.Parse(globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString()!);
        var framework = XDocument.Load(Repository.Combine("Directory.Build.props")).Descendants("TargetFramework").Single().Value;

        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{sdk.Major}.{sdk.Minor}", Image.BaseImage(Image.StageNamed("build")));
        // Not aspnet: the operator serves its three routes with HttpListener (PublishTests checks the runtimeconfig).
        Assert.Equal($"mcr.microsoft.com/dotnet/runtime:{framework["net".Length..]}", Image.BaseImage(Image.FinalStage));
    }

    [Fact]
    public void Copies_every_project_the_operator_builds_from_before_restoring_and_publishing()
    {
        var build = Image.StageNamed("build");
        var copies = Image.In(build, "COPY").ToList();
        var restore = Image.In(build, "RUN").Single(run => run.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal)).Line;
        var publish = Image.In(build, "RUN").Single(run => run.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)).Line;
        bool CopiedBefore(string source, int line) => copies.Any(copy => copy.Line < line && copy.Arguments.Split(' ')[..^1].Contains(source));

        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            Assert.True(CopiedBefore(file, restore), $"{file} is not copied before the restore");
        }

        foreach (var project in ProjectClosure.Of(ProjectClosure.Operator))
        {
            Assert.True(CopiedBefore(project, restore), $"{project} is not copied before the restore");
            Assert.True(CopiedBefore(Path.GetDirectoryName(project)!.Replace('\\', '/') + "/", publish), $"{Path.GetDirectoryName(project)} is not copied before the publish");
        }

        // The project links config/appsettings.json into its output.
        Assert.True(CopiedBefore("config/", publish));
    }

    [Fact]
    public void The_build_context_keeps_what_the_dockerfile_copies_and_drops_build_outputs()
    {
        var ignored = File.ReadAllLines(Repository.Combine(".dockerignore")).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        var sources = Image.Instructions.Where(instruction => instruction.Keyword == "COPY" && !instruction.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(copy => copy.Arguments.Split(' ')[..^1]);

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.All(sources, source => Assert.DoesNotContain(ignored, pattern => !pattern.StartsWith("**", StringComparison.Ordinal) && source.StartsWith(pattern, StringComparison.Ordinal)));
    }

    [Fact]
    public void Runs_as_a_numeric_non_root_user_exposes_the_http_port_and_starts_the_published_assembly()
    {
        var final = Image.FinalStage;
        var user = Image.In(final, "USER").Single().Arguments.Split(':');
        var publish = Dockerfile.SimpleCommand(Image.In(Image.StageNamed("build"), "RUN").Single(run => run.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)));
        var output = publish[publish.ToList().FindIndex(argument => argument is "-o" or "--output") + 1];
        var central = OperatorWorkload.Of(Variants.Central);
        var http = ContainerConfiguration.Of(central.Manifests, central.Metadata, central.Pod, central.Container).Bind<HttpEndpointOptions>(HttpEndpointOptions.Section);

        // Kubernetes can verify runAsNonRoot only for a numeric USER.
        Assert.Equal(2, user.Length);
        Assert.All(user, id => Assert.True(int.TryParse(id, out var number) && number > 0, $"USER {string.Join(':', user)} is not a numeric non-root uid:gid"));
        Assert.Equal(http.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Image.In(final, "EXPOSE").Single().Arguments);
        Assert.Equal(output, Image.In(final, "WORKDIR").Single().Arguments);
        Assert.Equal($"--from=build {output} ./", Image.In(final, "COPY").Single().Arguments);
        Assert.Equal(["dotnet", $"{output}/{ProjectClosure.AssemblyName(ProjectClosure.Operator)}.dll"], Dockerfile.ExecForm(Image.In(final, "ENTRYPOINT").Single()));
        Assert.Equal(["run"], Dockerfile.ExecForm(Image.In(final, "CMD").Single()));
    }
}
