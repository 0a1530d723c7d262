namespace OvnUnidler.Deploy.Tests.Manifests;

public static class Images
{
    /// <summary>
    /// The operator image's name in every variant, so that one `kustomize edit set image` (README)
    /// retargets them all. The registry and tag are the installer's choice.
    /// </summary>
    public const string Operator = "ghcr.io/ovn-unidler/ovn-unidler";
}
