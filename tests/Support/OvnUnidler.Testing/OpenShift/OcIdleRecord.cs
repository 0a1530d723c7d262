using System.Text.Json;

namespace OvnUnidler.Testing.OpenShift;

/// <summary>
/// What `oc idle` leaves behind, as annotations on the Service, on its Endpoints (oc 4.7 to 4.15)
/// and on the workloads it stamps with previous-scale, from the files in OpenShift/Fixtures. Each
/// file says in its "about" which oc behaviour it stands for; the values are written from the
/// format oc's source defines (openshift/oc pkg/cli/idle, openshift/api unidling/v1alpha1).
/// </summary>
public sealed record OcIdleRecord(
    string About,
    IReadOnlyDictionary<string, string> Service,
    IReadOnlyDictionary<string, string>? Endpoints,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Workloads)
{
    public const string DeploymentAndRollout = "oc-4.16-deployment-and-rollout.json";
    public const string DeploymentConfigWithEndpoints = "oc-4.15-deploymentconfig-with-endpoints.json";

    public static OcIdleRecord Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repository.Combine("tests", "Support", "OvnUnidler.Testing", "OpenShift", "Fixtures", file)));
        var root = document.RootElement;
        var workloads = root.GetProperty("workloads").EnumerateObject()
            .ToDictionary(workload => workload.Name, workload => Strings(workload.Value), StringComparer.Ordinal);
        return new OcIdleRecord(
            root.GetProperty("about").GetString()!,
            Strings(root.GetProperty("service")),
            root.GetProperty("endpoints").ValueKind == JsonValueKind.Null ? null : Strings(root.GetProperty("endpoints")),
            workloads);
    }

    /// <summary>A copy to hand to a client model that wants a mutable dictionary.</summary>
    public static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> annotations) => new(annotations, StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, string> Strings(JsonElement element) =>
        element.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.GetString()!, StringComparer.Ordinal);
}
