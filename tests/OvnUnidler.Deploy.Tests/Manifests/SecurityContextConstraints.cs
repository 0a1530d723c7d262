using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>
/// OpenShift's security.openshift.io/v1 SecurityContextConstraints, field for field from the
/// openshift/api type (security/v1/types.go), so that the overlay's SCC is parsed as strictly as
/// the Kubernetes kinds. KubernetesClient has no OpenShift models.
/// </summary>
[KubernetesEntity(Group = "security.openshift.io", Kind = "SecurityContextConstraints", ApiVersion = "v1", PluralName = "securitycontextconstraints")]
public sealed class SecurityContextConstraints : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("priority")]
    public int? Priority { get; set; }

    [JsonPropertyName("allowPrivilegedContainer")]
    public bool AllowPrivilegedContainer { get; set; }

    [JsonPropertyName("defaultAddCapabilities")]
    public IList<string>? DefaultAddCapabilities { get; set; }

    [JsonPropertyName("requiredDropCapabilities")]
    public IList<string>? RequiredDropCapabilities { get; set; }

    [JsonPropertyName("allowedCapabilities")]
    public IList<string>? AllowedCapabilities { get; set; }

    [JsonPropertyName("allowHostDirVolumePlugin")]
    public bool AllowHostDirVolumePlugin { get; set; }

    [JsonPropertyName("volumes")]
    public IList<string>? Volumes { get; set; }

    [JsonPropertyName("allowHostNetwork")]
    public bool AllowHostNetwork { get; set; }

    [JsonPropertyName("allowHostPorts")]
    public bool AllowHostPorts { get; set; }

    [JsonPropertyName("allowHostPID")]
    public bool AllowHostPID { get; set; }

    [JsonPropertyName("allowHostIPC")]
    public bool AllowHostIPC { get; set; }

    [JsonPropertyName("defaultAllowPrivilegeEscalation")]
    public bool? DefaultAllowPrivilegeEscalation { get; set; }

    [JsonPropertyName("allowPrivilegeEscalation")]
    public bool? AllowPrivilegeEscalation { get; set; }

    [JsonPropertyName("seLinuxContext")]
    public SecurityContextConstraintsStrategy? SeLinuxContext { get; set; }

    [JsonPropertyName("runAsUser")]
    public SecurityContextConstraintsStrategy? RunAsUser { get; set; }

    [JsonPropertyName("supplementalGroups")]
    public SecurityContextConstraintsStrategy? SupplementalGroups { get; set; }

    [JsonPropertyName("fsGroup")]
    public SecurityContextConstraintsStrategy? FsGroup { get; set; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool ReadOnlyRootFilesystem { get; set; }

    [JsonPropertyName("users")]
    public IList<string>? Users { get; set; }

    [JsonPropertyName("groups")]
    public IList<string>? Groups { get; set; }

    [JsonPropertyName("seccompProfiles")]
    public IList<string>? SeccompProfiles { get; set; }
}
