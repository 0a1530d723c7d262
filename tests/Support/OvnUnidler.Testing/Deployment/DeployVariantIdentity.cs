using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.Manifests;

namespace OvnUnidler.Testing.Deployment;

/// <summary>Who the variant's operator is to the API double: the pod's service account.</summary>
public static class DeployVariantIdentity
{
    extension(DeployVariant variant)
    {
        public UserInfo OperatorUser => UserInfo.ServiceAccount(variant.Namespace, variant.ServiceAccount);
    }
}
