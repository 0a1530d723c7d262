namespace OvnUnidler.KubernetesDouble;

// A custom resource the double serves as a CRD-backed API would: generation tracked on every
// change outside metadata (and status, with a status subresource), updates must carry a
// resourceVersion, strategic merge patch refused, delete answers the deleted object.
public sealed record CustomResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced = true,
    bool HasStatusSubresource = true)
{
    // The operator's own resource (issue 5): one Idler per Service.
    public static CustomResourceType Idler { get; } = new("unidler.ovn.org", "v1alpha1", "idlers", "Idler");
}
