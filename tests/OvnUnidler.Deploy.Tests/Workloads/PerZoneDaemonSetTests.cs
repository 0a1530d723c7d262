using k8s.Models;
using OvnUnidler.Deploy.Tests.Configuration;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Deploy.Tests.Rbac;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Deploy.Tests.Workloads;

public sealed class PerZoneDaemonSetTests
{
    public static TheoryData<string> PerZoneVariants => [Variants.Root, Variants.PerZone, Variants.OpenShift];

    [Theory]
    [MemberData(nameof(PerZoneVariants))]
    public void Runs_on_every_linux_node_whatever_its_taints(string variant)
    {
        var workload = OperatorWorkload.Of(variant);

        Assert.Equal("DaemonSet", workload.Kind);
        Assert.Contains(workload.Pod.Tolerations, toleration => toleration.OperatorProperty == "Exists" && toleration.Key is null && toleration.Effect is null);
        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" }, workload.Pod.NodeSelector);
        Assert.Null(workload.Pod.Affinity);
        Assert.Empty(workload.Manifests.All<V1Deployment>());
        Assert.Empty(workload.Manifests.All<V1PodDisruptionBudget>());
    }

    [Theory]
    [MemberData(nameof(PerZoneVariants))]
    public void Talks_to_its_own_nodes_databases_through_the_hosts_socket_directory(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var configuration = ContainerConfiguration.Of(workload.Manifests, workload.Metadata, workload.Pod, workload.Container);
        var hostPath = Assert.Single(workload.Pod.Volumes, volume => volume.HostPath is not null);
        var mount = workload.MountOf(hostPath);

        Assert.Equal(DeploymentMode.PerZone, configuration.Bind<UnidlerOptions>(UnidlerOptions.Section).Mode);
        Assert.Equal("Directory", hostPath.HostPath.Type);
        Assert.True(mount.ReadOnlyProperty);
        foreach (var section in new[] { DatabaseOptions.SouthboundSection, DatabaseOptions.NorthboundSection })
        {
            var remote = configuration.Bind<DatabaseOptions>(section).Remote;
            Assert.StartsWith($"unix:{mount.MountPath}/", remote, StringComparison.Ordinal);
            Assert.DoesNotContain(",", remote, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(PerZoneVariants))]
    public void Opens_the_root_owned_sockets_through_group_0_without_being_root(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var pod = workload.Pod.SecurityContext;

        // ovsdb-server binds its unix sockets with mode 0770 (OVS lib/socket-util-unix.c).
        Assert.Contains(0L, pod.SupplementalGroups);
        Assert.NotEqual(0, workload.Container.SecurityContext.RunAsUser ?? pod.RunAsUser);
        Assert.True(pod.RunAsNonRoot);
    }

    [Theory]
    [MemberData(nameof(PerZoneVariants))]
    public void Campaigns_only_for_the_idler_controllers_lease(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var election = ContainerConfiguration.Of(workload.Manifests, workload.Metadata, workload.Pod, workload.Container).Bind<LeaderElectionOptions>(LeaderElectionOptions.Section);
        var named = ClusterRoleRules.For(workload.Manifests, Variants.Namespace, Variants.ServiceAccount).Permissions
            .Where(permission => permission.Resource == "leases" && permission.ResourceName is not null)
            .Select(permission => permission.ResourceName).Distinct();

        // LeaseLeadership.ForControllers runs in both modes; the pipeline's own Lease only in central mode.
        Assert.Equal([election.LeaseName + "-controllers"], named);
    }

    [Fact]
    public void Only_the_per_zone_namespace_admits_privileged_pods_which_its_host_path_needs()
    {
        string Level(string variant) => Variants.Get(variant).Single<V1Namespace>().Metadata.Labels["pod-security.kubernetes.io/enforce"];

        Assert.Equal("restricted", Level(Variants.Central));
        Assert.Equal("privileged", Level(Variants.PerZone));
        Assert.DoesNotContain(OperatorWorkload.Of(Variants.Central).Pod.Volumes, volume => volume.HostPath is not null);
    }
}
