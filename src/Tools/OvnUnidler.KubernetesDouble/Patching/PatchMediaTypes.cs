namespace OvnUnidler.KubernetesDouble.Patching;

// The PATCH Content-Type decides the patch format (API concepts, "Patch"): RFC 6902 JSON patch,
// RFC 7386 merge patch, Kubernetes strategic merge patch, or server-side apply.
internal static class PatchMediaTypes
{
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatchYaml = "application/apply-patch+yaml";
    public const string ApplyPatchCbor = "application/apply-patch+cbor";

    public static PatchType Parse(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            JsonPatch => PatchType.JsonPatch,
            MergePatch => PatchType.MergePatch,
            StrategicMergePatch => PatchType.StrategicMergePatch,
            ApplyPatchYaml or ApplyPatchCbor => PatchType.ApplyPatch,
            _ => PatchType.Unsupported,
        };
    }
}
