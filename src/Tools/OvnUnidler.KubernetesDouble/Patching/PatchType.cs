namespace OvnUnidler.KubernetesDouble.Patching;

internal enum PatchType
{
    Unsupported,
    JsonPatch,
    MergePatch,
    StrategicMergePatch,
    ApplyPatch,
}
