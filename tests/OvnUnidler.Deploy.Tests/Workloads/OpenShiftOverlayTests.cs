using System.Text.Json.Nodes;
using k8s.Models;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Deploy.Tests.Rbac;

namespace OvnUnidler.Deploy.Tests.Workloads;

public sealed class OpenShiftOverlayTests
{
    private static OperatorWorkload OpenShift => OperatorWorkload.Of(Variants.OpenShift);

    [Fact]
    public void Differs_from_per_zone_only_in_the_socket_directory_and_the_selinux_type()
    {
        var perZone = Variants.Get(Variants.PerZone).Resources.Single(resource => resource.Id.Kind == "DaemonSet").Body;
        var openShift = (JsonObject)Variants.Get(Variants.OpenShift).Resources.Single(resource => resource.Id.Kind == "DaemonSet").Body.DeepClone();
        var pod = openShift["spec"]!["template"]!["spec"]!;

        Assert.Equal("/var/run/ovn-ic", OpenShift.Pod.Volumes.Single(volume => volume.Name == "ovn-run").HostPath.Path);
        Assert.Equal("spc_t", OpenShift.Pod.SecurityContext.SeLinuxOptions.Type);
        pod["volumes"]!.AsArray().Single(volume => volume!["name"]!.GetValue<string>() == "ovn-run")!["hostPath"]!["path"] = "/var/run/openvswitch";
        pod["securityContext"]!.AsObject().Remove("seLinuxOptions");
        Assert.True(JsonNode.DeepEquals(perZone, openShift), "the OpenShift overlay changes more of the DaemonSet than its socket directory and SELinux type");
    }

    [Fact]
    public void Its_security_context_constraints_allow_the_host_path_and_nothing_privileged()
    {
        var scc = OpenShift.Manifests.Single<SecurityContextConstraints>();
        var pod = OpenShift.Pod;
        var volumeKinds = pod.Volumes.Select(VolumeKind).Append("projected");

        Assert.True(scc.AllowHostDirVolumePlugin);
        Assert.False(scc.AllowPrivilegedContainer);
        Assert.False(scc.AllowPrivilegeEscalation);
        Assert.False(scc.AllowHostNetwork || scc.AllowHostPID || scc.AllowHostIPC || scc.AllowHostPorts);
        Assert.Equal(["ALL"], scc.RequiredDropCapabilities);
        Assert.Empty(scc.AllowedCapabilities ?? []);
        Assert.Empty(scc.DefaultAddCapabilities ?? []);
        Assert.True(scc.ReadOnlyRootFilesystem);
        Assert.Equal("MustRunAsNonRoot", scc.RunAsUser!.Type);
        Assert.Equal(["runtime/default"], scc.SeccompProfiles);
        Assert.DoesNotContain("*", scc.Volumes!);
        Assert.All(volumeKinds, kind => Assert.Contains(kind, scc.Volumes!));
        // spc_t and supplemental group 0 are set by the pod, so these strategies must let them through.
        Assert.Equal("RunAsAny", scc.SeLinuxContext!.Type);
        Assert.Equal("RunAsAny", scc.SupplementalGroups!.Type);
        Assert.Empty(scc.Users ?? []);
        Assert.Empty(scc.Groups ?? []);
    }

    [Fact]
    public void The_operator_may_use_that_scc_and_gains_nothing_else_over_per_zone()
    {
        var scc = OpenShift.Manifests.Single<SecurityContextConstraints>();
        var openShift = ClusterRoleRules.Load(Variants.OpenShift).Permissions;
        var perZone = ClusterRoleRules.Load(Variants.PerZone).Permissions;

        Assert.Equal([new RbacPermission("security.openshift.io", "securitycontextconstraints", null, "use", null, scc.Metadata.Name)], openShift.Except(perZone));
        Assert.Empty(perZone.Except(openShift));
    }

    private static string VolumeKind(V1Volume volume) =>
        volume.ConfigMap is not null ? "configMap"
        : volume.Secret is not null ? "secret"
        : volume.EmptyDir is not null ? "emptyDir"
        : volume.HostPath is not null ? "hostPath"
        : volume.Projected is not null ? "projected"
        : volume.DownwardAPI is not null ? "downwardAPI"
        : throw new InvalidOperationException($"volume {volume.Name} is of a kind this test does not know");
}
