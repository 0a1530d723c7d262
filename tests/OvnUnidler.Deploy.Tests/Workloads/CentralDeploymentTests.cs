using k8s.Models;
using OvnUnidler.Deploy.Tests.Configuration;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Deploy.Tests.Rbac;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Deploy.Tests.Workloads;

public sealed class CentralDeploymentTests
{
    private static OperatorWorkload Central => OperatorWorkload.Of(Variants.Central);

    [Fact]
    public void Two_replicas_spread_over_nodes_elect_their_leader_through_leases_in_their_own_namespace()
    {
        var deployment = Central.Manifests.Single<V1Deployment>();
        var configuration = ContainerConfiguration.Of(Central.Manifests, Central.Metadata, Central.Pod, Central.Container);
        var election = configuration.Bind<LeaderElectionOptions>(LeaderElectionOptions.Section);
        // As LeaseLeadership resolves it: the setting, else the pod's namespace.
        var leaseNamespace = election.LeaseNamespace ?? configuration.Environment["POD_NAMESPACE"];
        var leases = ClusterRoleRules.For(Central.Manifests, Variants.Namespace, Variants.ServiceAccount).Permissions
            .Where(permission => permission.Resource == "leases" && permission.Verb == "update").ToList();

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal(DeploymentMode.Central, configuration.Bind<UnidlerOptions>(UnidlerOptions.Section).Mode);
        Assert.Equal(Central.Metadata.NamespaceProperty, leaseNamespace);
        Assert.All(leases, permission => Assert.Equal(leaseNamespace, permission.Namespace));
        Assert.Equal([election.LeaseName, election.LeaseName + "-controllers"], leases.Select(permission => permission.ResourceName).Order());
        Assert.Contains(Central.Pod.TopologySpreadConstraints, constraint => constraint.TopologyKey == "kubernetes.io/hostname" && constraint.MaxSkew == 1);
    }

    [Fact]
    public void A_disruption_budget_keeps_one_replica_of_the_deployment()
    {
        var budget = Central.Manifests.Single<V1PodDisruptionBudget>();
        var deployment = Central.Manifests.Single<V1Deployment>();

        Assert.Equal(1, int.Parse(budget.Spec.MinAvailable.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(deployment.Spec.Replicas > 1);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        Assert.Equal(Central.Metadata.NamespaceProperty, budget.Metadata.NamespaceProperty);
    }

    [Fact]
    public void Database_tls_files_come_from_the_ovn_unidler_ovn_tls_secret_readable_by_the_pods_group()
    {
        var secret = Central.Pod.Volumes.Single(volume => volume.Secret is not null);
        var mount = Central.MountOf(secret);
        var configuration = ContainerConfiguration.Of(Central.Manifests, Central.Metadata, Central.Pod, Central.Container);

        Assert.Equal("ovn-unidler-ovn-tls", secret.Secret.SecretName);
        Assert.True(mount.ReadOnlyProperty);
        foreach (var section in new[] { DatabaseOptions.SouthboundSection, DatabaseOptions.NorthboundSection })
        {
            var database = configuration.Bind<DatabaseOptions>(section);
            Assert.Equal($"{mount.MountPath}/tls.key", database.PrivateKeyFile);
            Assert.Equal($"{mount.MountPath}/tls.crt", database.CertificateFile);
            Assert.Equal($"{mount.MountPath}/ca.crt", database.CaCertificateFile);
            Assert.StartsWith("ssl:", database.Remote, StringComparison.Ordinal);
        }

        // Secret files belong to root and the pod's fsGroup: the group must be able to read them.
        Assert.NotNull(Central.Pod.SecurityContext.FsGroup);
        Assert.NotEqual(0, (secret.Secret.DefaultMode ?? 420) & 0b000_100_000);
    }

    [Fact]
    public void The_cluster_specific_remotes_sit_in_the_mounted_appsettings_json()
    {
        var mounted = ContainerConfiguration.MountedFile(Central.Manifests, Central.Metadata, Central.Pod, Central.Container)!;

        Assert.Contains("Southbound:Remote", JsonKeys.Of(mounted));
        Assert.Contains("Northbound:Remote", JsonKeys.Of(mounted));
        Assert.Null(Central.Env("Southbound__Remote"));
        Assert.Null(Central.Env("Northbound__Remote"));
    }
}
