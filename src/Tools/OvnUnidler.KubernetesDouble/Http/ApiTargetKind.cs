namespace OvnUnidler.KubernetesDouble.Http;

internal enum ApiTargetKind
{
    Resource,
    Discovery,
    Unknown,
}
