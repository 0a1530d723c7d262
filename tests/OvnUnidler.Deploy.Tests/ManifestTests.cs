using System.Reflection;
using System.Text.Json.Nodes;
using k8s.Models;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Hosting;

namespace OvnUnidler.Deploy.Tests;

public sealed class ManifestTests
{
    public static TheoryData<string> Variants => ["deploy", "deploy/base", "deploy/per-zone", "deploy/openshift"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_resolves_and_parses_with_the_crd_the_namespace_and_the_permissions(string variant)
    {
        var manifests = Manifests.Of(variant);

        Assert.Equal("ovn-unidler", manifests.Single<V1Namespace>().Metadata.Name);
        Assert.Equal("idlers.unidler.ovn.org", manifests.Single<V1CustomResourceDefinition>().Metadata.Name);
        Assert.Equal("ovn-unidler", manifests.Single<V1ServiceAccount>().Metadata.Name);
        Assert.Contains(manifests.Objects.OfType<V1ClusterRoleBinding>(), binding => binding.RoleRef.Name == "ovn-unidler");
        Assert.Single(manifests.Objects.OfType<V1Role>(), role => role.Rules.Any(rule => rule.Resources.Contains("leases")));
        Assert.Equal("http", manifests.Single<V1Service>().Spec.Ports.Single().TargetPort.Value);
    }

    [Fact]
    public void Every_yaml_file_in_deploy_and_crds_belongs_to_a_variant()
    {
        var included = Variants.Select(variant => KustomizeTree.Load(Repository.Combine(variant.Data.Split('/')))).SelectMany(tree => tree.Files).ToHashSet();
        var files = Directory.GetFiles(Repository.Combine("deploy"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Repository.Combine("crds"), "*.yaml"))
            .Where(file => Path.GetFileName(file) != "kustomization.yaml");

        Assert.All(files, file => Assert.Contains(Path.GetFullPath(file), included));
    }

    [Fact]
    public void The_central_deployment_runs_two_non_root_read_only_replicas_with_probes_limits_and_tls()
    {
        var manifests = Manifests.Of("deploy");
        var deployment = manifests.Single<V1Deployment>();
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.NotNull(container.Resources.Requests["cpu"]);
        Assert.NotNull(container.Resources.Limits["memory"]);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(HttpPort(), container.Ports.Single(port => port.Name == "http").ContainerPort);
        Assert.Equal("Central", Env(container, "Unidler__Mode"));
        var tls = pod.Volumes.Single(volume => volume.Secret is not null);
        var mount = container.VolumeMounts.Single(volumeMount => volumeMount.Name == tls.Name);
        foreach (var file in new[] { "Southbound__PrivateKeyFile", "Southbound__CertificateFile", "Southbound__CaCertificateFile" })
        {
            Assert.StartsWith(mount.MountPath + "/", Env(container, file), StringComparison.Ordinal);
        }

        Assert.Equal(UnidlerHost.MountedConfiguration, container.VolumeMounts.Single(volumeMount => volumeMount.SubPath == "appsettings.json").MountPath);
        Assert.Equal("1", manifests.Single<V1PodDisruptionBudget>().Spec.MinAvailable.Value);
    }

    [Fact]
    public void The_per_zone_daemon_set_runs_on_every_node_against_its_own_database_sockets()
    {
        var manifests = Manifests.Of("deploy/per-zone");
        var daemonSet = manifests.Single<V1DaemonSet>();
        var pod = daemonSet.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.Empty(manifests.Objects.OfType<V1Deployment>());
        Assert.Contains(pod.Tolerations, toleration => toleration.OperatorProperty == "Exists" && toleration.Key is null);
        Assert.Equal("PerZone", Env(container, "Unidler__Mode"));
        var hostPath = pod.Volumes.Single(volume => volume.HostPath is not null);
        var mount = container.VolumeMounts.Single(volumeMount => volumeMount.Name == hostPath.Name);
        Assert.StartsWith($"unix:{mount.MountPath}/", Env(container, "Southbound__Remote"), StringComparison.Ordinal);
        Assert.StartsWith($"unix:{mount.MountPath}/", Env(container, "Northbound__Remote"), StringComparison.Ordinal);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("privileged", manifests.Single<V1Namespace>().Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }

    [Fact]
    public void Every_environment_variable_names_a_real_option()
    {
        var sections = new Dictionary<string, Type>(StringComparer.Ordinal)
        {
            ["Unidler"] = typeof(UnidlerOptions),
            ["Southbound"] = typeof(DatabaseOptions),
            ["Northbound"] = typeof(DatabaseOptions),
            ["LeaderElection"] = typeof(LeaderElectionOptions),
            ["Idling"] = typeof(OvnUnidler.Idling.IdlingOptions),
            ["Kubernetes"] = typeof(KubernetesOptions),
            ["Http"] = typeof(HttpEndpointOptions),
        };
        var containers = Variants.SelectMany(variant => Manifests.Of(variant.Data).Objects)
            .SelectMany(item => item switch
            {
                V1Deployment deployment => deployment.Spec.Template.Spec.Containers,
                V1DaemonSet daemonSet => daemonSet.Spec.Template.Spec.Containers,
                _ => [],
            });
        var names = containers.SelectMany(container => container.Env).Select(env => env.Name).Where(name => name.Contains("__", StringComparison.Ordinal)).Distinct().ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name =>
        {
            var parts = name.Split("__");
            Assert.True(sections.TryGetValue(parts[0], out var type), $"{name}: no options section {parts[0]}");
            Assert.True(type!.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance) is not null, $"{name}: {type.Name} has no property {parts[1]}");
        });
    }

    [Fact]
    public void The_cluster_role_grants_no_wildcard_and_never_delete()
    {
        var role = Manifests.Of("deploy").Objects.OfType<V1ClusterRole>().Single(item => item.Metadata.Name == "ovn-unidler");

        Assert.All(role.Rules, rule =>
        {
            Assert.DoesNotContain("*", rule.Verbs);
            Assert.DoesNotContain("*", rule.Resources);
            Assert.DoesNotContain("*", rule.ApiGroups);
            Assert.Empty(rule.Verbs.Except(["get", "list", "watch", "patch", "update", "create"]));
        });
    }

    [Fact]
    public void The_openshift_overlay_uses_the_interconnect_sockets_under_its_own_security_context_constraints()
    {
        var manifests = Manifests.Of("deploy/openshift");
        var pod = manifests.Single<V1DaemonSet>().Spec.Template.Spec;

        Assert.Equal("/var/run/ovn-ic", pod.Volumes.Single(volume => volume.Name == "ovn-run").HostPath.Path);
        Assert.Equal("spc_t", pod.SecurityContext.SeLinuxOptions.Type);
        Assert.Contains(manifests.Objects.OfType<V1ClusterRole>(), role =>
            role.Rules.Any(rule => rule.Resources.Contains("securitycontextconstraints") && rule.Verbs.SequenceEqual(["use"]) && rule.ResourceNames.Contains("ovn-unidler")));
    }

    private static string Env(V1Container container, string name) => container.Env.Single(env => env.Name == name).Value;

    private static int HttpPort()
    {
        var options = new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var settings = JsonNode.Parse(File.ReadAllText(Repository.Combine("config", "appsettings.json")), documentOptions: options)!;
        return settings["Http"]!["Port"]!.GetValue<int>();
    }
}
