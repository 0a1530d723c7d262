using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace OvnUnidler.Deploy.Tests;

/// <summary>The objects of one install variant, parsed into KubernetesClient's types.</summary>
public sealed class Manifests(IReadOnlyList<object> objects)
{
    public IReadOnlyList<object> Objects { get; } = objects;

    public static Manifests Of(string variant)
    {
        var tree = KustomizeTree.Load(Repository.Combine(variant.Split('/')));
        var objects = new List<object>();
        foreach (var file in tree.Files)
        {
            var text = File.ReadAllText(file);
            if (KindOf(text) == "SecurityContextConstraints")
            {
                // An OpenShift type KubernetesClient does not know: parsed as plain YAML.
                objects.Add(LoadYaml(text));
                continue;
            }

            objects.AddRange(KubernetesYaml.LoadAllFromString(text));
        }

        foreach (var (kind, name, directory, patch) in tree.PatchTargets)
        {
            var index = objects.FindIndex(item => item is IKubernetesObject<V1ObjectMeta> target && target.Kind == kind && target.Metadata.Name == name);
            Assert.True(index >= 0, $"a patch in {directory} targets {kind}/{name}, which the variant does not contain");
            objects[index] = JsonPatchOperations.Apply(objects[index], patch);
        }

        return new Manifests(objects);
    }

    public T Single<T>() => Assert.Single(Objects.OfType<T>());

    private static string? KindOf(string text) =>
        text.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("kind:", StringComparison.Ordinal))?["kind:".Length..].Trim();

    private static YamlMappingNode LoadYaml(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }
}
