using System.Text.Json.Nodes;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>
/// What `kubectl apply -k DIR` would send, for the kustomize features this repository uses:
/// resources (files, and directories that are kustomizations), configMapGenerator, patches whose
/// body is an RFC 6902 operation list with a target, and images. Everything else is refused by
/// <see cref="Kustomization"/>. Generated ConfigMaps keep their plain name here; kustomize appends a
/// hash of their content and rewrites the references to it, which changes no reference's target.
/// </summary>
public static class KustomizeBuild
{
    public static BuiltManifests Of(string variant) => Run(Repository.Combine(variant.Split('/')));

    public static BuiltManifests Run(string directory)
    {
        var files = new List<string>();
        var resources = Build(Path.GetFullPath(directory), files, []);
        return new BuiltManifests(Repository.Relative(directory), resources, files);
    }

    private static List<BuiltResource> Build(string directory, List<string> files, List<string> visiting)
    {
        if (visiting.Contains(directory))
        {
            throw new InvalidOperationException($"kustomization cycle: {string.Join(" -> ", visiting.Append(directory).Select(Repository.Relative))}");
        }

        visiting.Add(directory);
        var kustomization = Kustomization.Load(directory);
        files.Add(kustomization.Path);
        var resources = new List<BuiltResource>();
        foreach (var entry in kustomization.Resources)
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry));
            if (Directory.Exists(path))
            {
                AddAll(resources, Build(path, files, visiting), kustomization);
                continue;
            }

            var file = kustomization.LocalFile(entry);
            files.Add(file);
            AddAll(resources, YamlJson.ParseObjects(File.ReadAllText(file), Repository.Relative(file)).Select(body => new BuiltResource(body, new ManifestSource(file, Generated: false))), kustomization);
        }

        foreach (var generator in kustomization.ConfigMapGenerators)
        {
            AddAll(resources, [Generate(kustomization, generator, files)], kustomization);
        }

        foreach (var patch in kustomization.Patches)
        {
            ApplyPatch(kustomization, patch, resources, files);
        }

        foreach (var image in kustomization.Images)
        {
            SetImage(image, resources);
        }

        visiting.Remove(directory);
        return resources;
    }

    private static void AddAll(List<BuiltResource> resources, IEnumerable<BuiltResource> added, Kustomization kustomization)
    {
        foreach (var resource in added)
        {
            var id = resource.Id;
            if (resources.Any(existing => existing.Id == id))
            {
                throw new InvalidOperationException($"{Repository.Relative(kustomization.Path)}: {id} is included twice (kustomize refuses an id already registered)");
            }

            resources.Add(resource);
        }
    }

    private static BuiltResource Generate(Kustomization kustomization, JsonObject generator, List<string> files)
    {
        var unknown = generator.Select(member => member.Key).Except(["name", "namespace", "files"]).ToList();
        if (unknown.Count > 0)
        {
            throw new NotSupportedException($"{Repository.Relative(kustomization.Path)}: configMapGenerator field(s) {string.Join(", ", unknown)} are not modelled");
        }

        var data = new JsonObject();
        foreach (var entry in generator["files"]?.AsArray() ?? [])
        {
            var text = entry!.GetValue<string>();
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var (key, relative) = equals < 0 ? (Path.GetFileName(text), text) : (text[..equals], text[(equals + 1)..]);
            var file = kustomization.LocalFile(relative);
            files.Add(file);
            data[key] = File.ReadAllText(file);
        }

        var metadata = new JsonObject { ["name"] = generator["name"]!.GetValue<string>() };
        if (generator["namespace"] is { } ns)
        {
            metadata["namespace"] = ns.GetValue<string>();
        }

        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = data };
        return new BuiltResource(body, new ManifestSource(kustomization.Path, Generated: true));
    }

    private static void ApplyPatch(Kustomization kustomization, JsonObject entry, List<BuiltResource> resources, List<string> files)
    {
        var where = Repository.Relative(kustomization.Path);
        string text;
        if (entry["path"] is { } path)
        {
            var file = kustomization.LocalFile(path.GetValue<string>());
            files.Add(file);
            text = File.ReadAllText(file);
            where = Repository.Relative(file);
        }
        else
        {
            text = entry["patch"]?.GetValue<string>() ?? throw new FormatException($"{where}: a patch has neither path nor patch");
        }

        var body = YamlJson.Parse(text, where);
        if (body is not JsonArray operations)
        {
            throw new NotSupportedException($"{where}: only RFC 6902 patches (a list of operations) are modelled, not strategic merge patches");
        }

        var target = entry["target"] as JsonObject ?? throw new FormatException($"{where}: an RFC 6902 patch needs a target");
        var unknown = target.Select(member => member.Key).Except(["kind", "name", "namespace", "group", "version"]).ToList();
        if (unknown.Count > 0)
        {
            throw new NotSupportedException($"{where}: target field(s) {string.Join(", ", unknown)} are not modelled");
        }

        var matches = resources.Where(resource => Matches(target, resource)).ToList();
        if (matches.Count == 0)
        {
            throw new InvalidOperationException($"{where}: the patch target {target.ToJsonString()} matches no resource");
        }

        foreach (var match in matches)
        {
            JsonPatch.Apply(match.Body, operations, $"{where} on {match.Id}");
        }
    }

    private static bool Matches(JsonObject target, BuiltResource resource)
    {
        var id = resource.Id;
        var version = resource.Body["apiVersion"]!.GetValue<string>().Split('/')[^1];
        return Is(target["kind"], id.Kind) && Is(target["name"], id.Name) && Is(target["namespace"], id.Namespace)
            && Is(target["group"], id.Group) && Is(target["version"], version);
    }

    private static bool Is(JsonNode? wanted, string? actual) => wanted is null || wanted.GetValue<string>() == actual;

    private static void SetImage(JsonObject image, List<BuiltResource> resources)
    {
        var name = image["name"]!.GetValue<string>();
        foreach (var container in resources.SelectMany(resource => PodTemplate.Containers(resource.Body)))
        {
            var current = container["image"]?.GetValue<string>() ?? string.Empty;
            var reference = ImageReference.Parse(current);
            if (reference.Name != name)
            {
                continue;
            }

            var newName = image["newName"]?.GetValue<string>() ?? reference.Name;
            container["image"] = image["digest"] is { } digest ? $"{newName}@{digest.GetValue<string>()}"
                : $"{newName}{(image["newTag"] is { } tag ? ":" + tag.GetValue<string>() : reference.Suffix)}";
        }
    }
}
