namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>The install variants deploy/ ships, each built once per test run.</summary>
public static class Variants
{
    public const string Root = "deploy";
    public const string Central = "deploy/base";
    public const string PerZone = "deploy/per-zone";
    public const string OpenShift = "deploy/openshift";

    /// <summary>The namespace and service account every variant installs the operator as.</summary>
    public const string Namespace = "ovn-unidler";
    public const string ServiceAccount = "ovn-unidler";

    public static readonly string[] All = [Root, Central, PerZone, OpenShift];

    /// <summary>Variants that run the operator: each has exactly one workload (Deployment or DaemonSet).</summary>
    public static readonly string[] WithWorkload = [Central, PerZone, OpenShift];

    private static readonly Dictionary<string, Lazy<BuiltManifests>> Built =
        All.ToDictionary(variant => variant, variant => new Lazy<BuiltManifests>(() => KustomizeBuild.Of(variant)));

    public static BuiltManifests Get(string variant) => Built[variant].Value;

    public static TheoryData<string> AllData => [.. All];

    public static TheoryData<string> WithWorkloadData => [.. WithWorkload];
}
