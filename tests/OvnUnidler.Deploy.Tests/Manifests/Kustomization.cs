using System.Text.Json.Nodes;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>
/// One kustomization.yaml, limited to the fields this repository uses. Any other field is refused,
/// so a manifest never relies on kustomize behaviour these tests do not model.
/// </summary>
public sealed class Kustomization
{
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "apiVersion", "kind", "resources", "patches", "configMapGenerator", "images",
    };

    private Kustomization(string directory, JsonObject body)
    {
        Directory = directory;
        Path = System.IO.Path.Combine(directory, "kustomization.yaml");
        Resources = Strings(body["resources"]);
        Patches = (body["patches"] as JsonArray)?.Select(entry => entry as JsonObject ?? throw Invalid("a patches entry is not a mapping")).ToList() ?? [];
        ConfigMapGenerators = (body["configMapGenerator"] as JsonArray)?.Select(entry => entry as JsonObject ?? throw Invalid("a configMapGenerator entry is not a mapping")).ToList() ?? [];
        Images = (body["images"] as JsonArray)?.Select(entry => entry as JsonObject ?? throw Invalid("an images entry is not a mapping")).ToList() ?? [];
    }

    public string Directory { get; }

    public string Path { get; }

    public IReadOnlyList<string> Resources { get; }

    public IReadOnlyList<JsonObject> Patches { get; }

    public IReadOnlyList<JsonObject> ConfigMapGenerators { get; }

    public IReadOnlyList<JsonObject> Images { get; }

    public static Kustomization Load(string directory)
    {
        var path = System.IO.Path.Combine(directory, "kustomization.yaml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{Repository.Relative(directory)} is not a kustomization (no kustomization.yaml)", path);
        }

        var body = YamlJson.ParseObjects(File.ReadAllText(path), Repository.Relative(path)).Single();
        if (body["apiVersion"]?.GetValue<string>() != "kustomize.config.k8s.io/v1beta1" || body["kind"]?.GetValue<string>() != "Kustomization")
        {
            throw new FormatException($"{Repository.Relative(path)} is not a kustomize.config.k8s.io/v1beta1 Kustomization");
        }

        var unknown = body.Select(member => member.Key).Where(key => !KnownFields.Contains(key)).ToList();
        if (unknown.Count > 0)
        {
            throw new NotSupportedException(
                $"{Repository.Relative(path)} uses {string.Join(", ", unknown)}, which the tests' model of kustomize (KustomizeBuild) does not resolve; extend it first");
        }

        return new Kustomization(directory, body);
    }

    /// <summary>
    /// A file named by this kustomization. kustomize's default load restrictor (RootOnly) refuses
    /// files outside the kustomization's directory; only other kustomizations may lie outside it.
    /// </summary>
    public string LocalFile(string relative)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, relative));
        var root = System.IO.Path.GetFullPath(Directory) + System.IO.Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Repository.Relative(Path)} names the file {relative}, outside its directory: kustomize refuses it (load restrictor RootOnly)");
        }

        return File.Exists(full) ? full : throw new FileNotFoundException($"{Repository.Relative(Path)} names {relative}, which does not exist", full);
    }

    private Exception Invalid(string what) => new FormatException($"{Repository.Relative(Path)}: {what}");

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.Select(entry => entry?.GetValue<string>() ?? throw new FormatException("an empty list entry")).ToList() ?? [];
}
