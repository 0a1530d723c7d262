using YamlDotNet.RepresentationModel;

namespace OvnUnidler.Deploy.Tests;

/// <summary>
/// Resolves a kustomization the way `kubectl apply -k` does for what this repository uses:
/// resources (files, or directories with their own kustomization.yaml) and patches' targets.
/// </summary>
public sealed class KustomizeTree
{
    private KustomizeTree(IReadOnlyList<string> files, IReadOnlyList<(string Kind, string Name, string Directory, string Patch)> patchTargets)
    {
        Files = files;
        PatchTargets = patchTargets;
    }

    /// <summary>Every manifest file the kustomization includes, depth first.</summary>
    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<(string Kind, string Name, string Directory, string Patch)> PatchTargets { get; }

    public static KustomizeTree Load(string directory)
    {
        var files = new List<string>();
        var targets = new List<(string, string, string, string)>();
        Walk(Path.GetFullPath(directory), files, targets, []);
        return new KustomizeTree(files, targets);
    }

    private static void Walk(string directory, List<string> files, List<(string, string, string, string)> targets, HashSet<string> visiting)
    {
        var kustomization = Path.Combine(directory, "kustomization.yaml");
        Assert.True(File.Exists(kustomization), $"{directory} has no kustomization.yaml");
        Assert.True(visiting.Add(directory), $"kustomization cycle through {directory}");
        var root = (YamlMappingNode)LoadDocument(kustomization).RootNode;
        Assert.Equal("Kustomization", ((YamlScalarNode)root["kind"]).Value);
        if (root.Children.TryGetValue("resources", out var resources))
        {
            foreach (var entry in ((YamlSequenceNode)resources).Children.Cast<YamlScalarNode>())
            {
                var path = Path.GetFullPath(Path.Combine(directory, entry.Value!));
                if (Directory.Exists(path))
                {
                    Walk(path, files, targets, visiting);
                }
                else
                {
                    Assert.True(File.Exists(path), $"{kustomization} lists {entry.Value}, which does not exist");
                    files.Add(path);
                }
            }
        }

        if (root.Children.TryGetValue("patches", out var patches))
        {
            foreach (var patch in ((YamlSequenceNode)patches).Children.Cast<YamlMappingNode>())
            {
                var target = (YamlMappingNode)patch["target"];
                targets.Add((((YamlScalarNode)target["kind"]).Value!, ((YamlScalarNode)target["name"]).Value!, directory, ((YamlScalarNode)patch["patch"]).Value!));
            }
        }

        visiting.Remove(directory);
    }

    private static YamlDocument LoadDocument(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(path));
        stream.Load(reader);
        return stream.Documents.Single();
    }
}
