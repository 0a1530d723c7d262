using k8s.Models;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

[KubernetesEntity(Group = "unidler.ovn.org", ApiVersion = "v1alpha1", Kind = "Idler", PluralName = "idlers")]
[KubernetesEntityShortNames("idl")]
[EntityScope(EntityScope.Namespaced)]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
[Description("Idles one Service declaratively and shows its idle and wake history. One Idler per Service, in the Service's namespace.")]
public sealed class V1Alpha1Idler : CustomKubernetesEntity<V1Alpha1IdlerSpec, V1Alpha1IdlerStatus>
{
    public const string Group = "unidler.ovn.org";
    public const string Version = "v1alpha1";
    public const string EntityKind = "Idler";
    public const string Plural = "idlers";

    public V1Alpha1Idler()
    {
        ApiVersion = $"{Group}/{Version}";
        Kind = EntityKind;
    }
}
