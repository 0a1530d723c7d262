namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>The install variants deploy/ ships, each rendered once per test run by `kubectl kustomize`.</summary>
public static class Variants
{
    /// <summary>`kubectl apply -k deploy/`: per zone, the topology of current ovn-kubernetes releases.</summary>
    public const string Root = "deploy";
    public const string PerZone = "deploy/per-zone";
    public const string Central = "deploy/central";
    public const string OpenShift = "deploy/openshift";

    /// <summary>Kustomizations that only serve the variants: the shared objects and the generated CRD.</summary>
    public const string Common = "deploy/common";
    public const string Crds = "crds";

    /// <summary>The namespace and service account every variant installs the operator as.</summary>
    public const string Namespace = "ovn-unidler";
    public const string ServiceAccount = "ovn-unidler";

    /// <summary>
    /// The operator image's name in every variant, so that one `kustomize edit set image` (README)
    /// retargets them all. The registry and tag are the installer's choice.
    /// </summary>
    public const string OperatorImage = "ghcr.io/ovn-unidler/ovn-unidler";

    /// <summary>Each runs the operator: exactly one workload (Deployment or DaemonSet).</summary>
    public static readonly string[] All = [Root, PerZone, Central, OpenShift];

    /// <summary>Every kustomization under deploy/ and crds/.</summary>
    public static readonly string[] Kustomizations = [.. All, Common, Crds];

    private static readonly Dictionary<string, Lazy<BuiltManifests>> Rendered =
        Kustomizations.ToDictionary(variant => variant, variant => new Lazy<BuiltManifests>(() => KubectlKustomize.Render(variant)));

    public static BuiltManifests Get(string variant) => Rendered[variant].Value;

    public static TheoryData<string> AllData => [.. All];

    public static TheoryData<string> KustomizationsData => [.. Kustomizations];
}
