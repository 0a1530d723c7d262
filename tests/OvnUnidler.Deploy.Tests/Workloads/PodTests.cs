using k8s.Models;
using OvnUnidler.Deploy.Tests.Configuration;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Deploy.Tests.Publishing;
using OvnUnidler.Operator.Commands;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Deploy.Tests.Workloads;

/// <summary>What every shipped pod of the operator must be, central or per zone.</summary>
public sealed class PodTests
{
    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Runs_as_a_non_root_user_with_a_read_only_root_no_capabilities_and_the_runtime_seccomp_profile(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var pod = workload.Pod;
        var container = workload.Container.SecurityContext;

        Assert.True(pod.SecurityContext.RunAsNonRoot == true || container.RunAsNonRoot == true);
        Assert.NotEqual(0, container.RunAsUser ?? pod.SecurityContext.RunAsUser);
        Assert.False(container.AllowPrivilegeEscalation);
        Assert.NotEqual(true, container.Privileged);
        Assert.True(container.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.Capabilities.Drop);
        Assert.True(container.Capabilities.Add is null or { Count: 0 });
        Assert.Equal("RuntimeDefault", (container.SeccompProfile ?? pod.SecurityContext.SeccompProfile).Type);
        Assert.NotEqual(true, pod.HostNetwork);
        Assert.NotEqual(true, pod.HostPID);
        Assert.NotEqual(true, pod.HostIPC);
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Runs_as_the_user_the_image_declares(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var image = Dockerfile.Load();
        var user = image.In(image.FinalStage, "USER").Single().Arguments.Split(':');

        Assert.Equal(long.Parse(user[0], System.Globalization.CultureInfo.InvariantCulture), workload.Container.SecurityContext.RunAsUser ?? workload.Pod.SecurityContext.RunAsUser);
        Assert.Null(workload.Container.Command);
        Assert.Equal(["run"], workload.Container.Args);
        Assert.Contains("run", CommandLine.CreateRoot().Subcommands.Select(command => command.Name));
        Assert.StartsWith(Variants.OperatorImage + ":", workload.Container.Image, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Probes_ask_the_operator_on_its_http_port_for_healthz_and_readyz(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var http = ContainerConfiguration.Of(workload.Manifests, workload.Metadata, workload.Pod, workload.Container).Bind<HttpEndpointOptions>(HttpEndpointOptions.Section);
        var container = workload.Container;

        // Observability/HttpEndpoint serves /healthz (the process serves) and /readyz (views synced).
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
        Assert.All(new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe }, probe =>
            Assert.Equal(http.Port, workload.Port(probe.HttpGet.Port).ContainerPort));
        // The kubelet probes the pod's IP: the endpoint must listen on every address, not loopback.
        Assert.Equal("+", http.Host);
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Every_environment_variable_and_mounted_setting_binds_to_an_option(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var configuration = ContainerConfiguration.Of(workload.Manifests, workload.Metadata, workload.Pod, workload.Container);
        var keys = configuration.Environment.Keys.Where(name => name.Contains("__", StringComparison.Ordinal)).Select(name => name.Replace("__", ":", StringComparison.Ordinal));
        var mounted = configuration.MountedJson is null ? [] : JsonKeys.Of(configuration.MountedJson);

        Assert.NotNull(configuration.MountedJson);
        Assert.All(keys.Concat(mounted), key => Assert.Null(OptionSections.Problem(key)));
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void The_configuration_a_pod_starts_with_passes_the_operators_start_up_validation(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var files = Directory.CreateTempSubdirectory("ovn-unidler-deploy-tls-");
        try
        {
            var configuration = ContainerConfiguration.Of(workload.Manifests, workload.Metadata, workload.Pod, workload.Container, path => StandIn(workload, files.FullName, path));
            var unidler = configuration.Bind<UnidlerOptions>(UnidlerOptions.Section);
            var failures = new[]
            {
                new UnidlerOptionsValidator().Validate(null, unidler),
                new DatabaseOptionsValidator().Validate(DatabaseOptions.SouthboundSection, configuration.Bind<DatabaseOptions>(DatabaseOptions.SouthboundSection)),
                new DatabaseOptionsValidator().Validate(DatabaseOptions.NorthboundSection, configuration.Bind<DatabaseOptions>(DatabaseOptions.NorthboundSection)),
                new LeaderElectionOptionsValidator().Validate(null, configuration.Bind<LeaderElectionOptions>(LeaderElectionOptions.Section)),
            }.Where(result => result.Failed).SelectMany(result => result.Failures ?? []).ToList();

            Assert.True(failures.Count == 0, string.Join("\n", failures));
            Assert.Equal(workload.Kind == "Deployment" ? DeploymentMode.Central : DeploymentMode.PerZone, unidler.Mode);
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void The_pod_knows_its_name_namespace_and_node_through_the_downward_api(string variant)
    {
        var workload = OperatorWorkload.Of(variant);

        // LeaseLeadership: identity POD_NAME, lease namespace POD_NAMESPACE.
        Assert.Equal("fieldRef:metadata.name", workload.Env("POD_NAME"));
        Assert.Equal("fieldRef:metadata.namespace", workload.Env("POD_NAMESPACE"));
        Assert.Equal("fieldRef:spec.nodeName", workload.Env("NODE_NAME"));
        Assert.Equal(workload.Kind == "Deployment" ? "fieldRef:metadata.name" : "fieldRef:spec.nodeName", workload.Env("Idling__Instance"));
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Requests_and_limits_bound_cpu_and_memory(string variant)
    {
        var resources = OperatorWorkload.Of(variant).Container.Resources;

        Assert.True(resources.Requests.ContainsKey("cpu") && resources.Requests.ContainsKey("memory"));
        Assert.True(resources.Limits.ContainsKey("cpu") && resources.Limits.ContainsKey("memory"));
        Assert.True(resources.Limits["memory"].ToDecimal() >= resources.Requests["memory"].ToDecimal());
        Assert.True(resources.Limits["cpu"].ToDecimal() >= resources.Requests["cpu"].ToDecimal());
    }

    // A file a secret or config volume would hold in the pod becomes an empty file on this machine:
    // the validator checks that it exists, not what it contains.
    private static string StandIn(OperatorWorkload workload, string directory, string path)
    {
        var mounts = workload.Container.VolumeMounts.Where(mount => workload.Pod.Volumes.Single(volume => volume.Name == mount.Name).Secret is not null);
        var mount = mounts.SingleOrDefault(candidate => path.StartsWith(candidate.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        if (mount is null)
        {
            return path;
        }

        var file = Path.Combine(directory, mount.Name, Path.GetRelativePath(mount.MountPath, path));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, string.Empty);
        return file;
    }
}
