using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble.Registry;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// KubernetesApiDoubleOptions.CustomResourceDefinitions: every CRD document in the given files
// (a directory stands for its *.yaml files) created through the registry, as if applied.
internal static class DefinitionFiles
{
    public static void Create(ResourceRegistry registry, IEnumerable<string> paths)
    {
        foreach (var file in paths.SelectMany(Expand))
        {
            foreach (var document in KubernetesYaml.LoadAllFromString(File.ReadAllText(file)).OfType<V1CustomResourceDefinition>())
            {
                var body = JsonNode.Parse(KubernetesJson.Serialize(document))!.AsObject();
                var result = registry.Create(registry.Catalog.CustomResourceDefinitions, "", body);
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException($"{file}: {result.Error!.Message}");
                }
            }
        }
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.yaml").Where(file => Path.GetFileName(file) != "kustomization.yaml").Order(StringComparer.Ordinal) : [path];
}
