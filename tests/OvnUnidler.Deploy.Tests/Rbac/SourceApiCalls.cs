using System.Text.RegularExpressions;
using OvnUnidler.Deploy.Tests.Manifests;

namespace OvnUnidler.Deploy.Tests.Rbac;

/// <summary>
/// The KubernetesClient calls written in the operator's source, as "Group.MethodAsync"
/// (CoreV1.ReadNamespacedServiceAsync, CustomObjects.ListNamespacedCustomObjectAsync).
/// </summary>
public static partial class SourceApiCalls
{
    public static readonly string[] Projects = ["src/OvnUnidler.Operator", "src/OvnUnidler.Idling", "src/OvnUnidler.Entities"];

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Find()
    {
        var calls = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in Projects.SelectMany(project => Directory.EnumerateFiles(Repository.Combine(project.Split('/')), "*.cs", SearchOption.AllDirectories)))
        {
            var relative = Repository.Relative(file);
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            var found = ClientCall().Matches(text).Select(match => $"{match.Groups["api"].Value}.{match.Groups["method"].Value}");

            foreach (var call in found)
            {
                if (!calls.TryGetValue(call, out var sites))
                {
                    calls[call] = sites = [];
                }

                if (!sites.Contains(relative))
                {
                    sites.Add(relative);
                }
            }
        }

        return calls.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value, StringComparer.Ordinal);
    }

    // IKubernetes exposes each API group as a property (CoreV1, AppsV1, DiscoveryV1, CustomObjects, ...).
    [GeneratedRegex(@"\.(?<api>CustomObjects|[A-Z][A-Za-z]*V[0-9]+(?:(?:Alpha|Beta)[0-9]+)?)\s*\.\s*(?<method>[A-Z][A-Za-z0-9]*Async)\b")]
    private static partial Regex ClientCall();
}
