using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Admission;

// The NamespaceLifecycle admission plugin: nothing can be created in a namespace that does not
// exist. The API server answers 404 with the namespace as the missing object:
// namespaces "x" not found, details {name: x, kind: namespaces}.
internal static class NamespaceLifecycle
{
    public static ApiError? CheckCreate(ResourceType type, string @namespace, Func<string, bool> namespaceExists) =>
        type.Namespaced && !namespaceExists(@namespace)
            ? new ApiError(404, "NotFound", $"namespaces \"{@namespace}\" not found") { Name = @namespace, Kind = "namespaces" }
            : null;
}
