using k8s;
using k8s.Models;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>
/// The resources of one rendered variant (`kubectl kustomize`), and the same resources as
/// KubernetesClient's typed models. Typing is strict: a field the API type does not have (a typo, a
/// wrong indentation) fails.
/// </summary>
public sealed class BuiltManifests
{
    private static readonly Dictionary<string, Type> OpenShiftTypes = new(StringComparer.Ordinal)
    {
        ["security.openshift.io/v1/SecurityContextConstraints"] = typeof(SecurityContextConstraints),
    };

    private readonly Lazy<IReadOnlyList<object>> typed;

    public BuiltManifests(string variant, IReadOnlyList<BuiltResource> resources)
    {
        Variant = variant;
        Resources = resources;
        typed = new Lazy<IReadOnlyList<object>>(() => [.. resources.Select(Type)]);
    }

    public string Variant { get; }

    public IReadOnlyList<BuiltResource> Resources { get; }

    public IReadOnlyList<object> Objects => typed.Value;

    /// <summary>A multi-document YAML stream as kustomize prints it.</summary>
    public static BuiltManifests Parse(string variant, string yaml) =>
        new(variant, [.. YamlJson.ParseObjects(yaml, variant).Select(body => new BuiltResource(body))]);

    /// <summary>A rendered stream kept as a file under tests/OvnUnidler.Deploy.Tests (a fixture).</summary>
    public static BuiltManifests Load(string relative)
    {
        var path = Repository.Combine(["tests", "OvnUnidler.Deploy.Tests", .. relative.Split('/')]);
        return Parse(Repository.Relative(path), File.ReadAllText(path));
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>() where T : IKubernetesObject<V1ObjectMeta>
    {
        var found = All<T>().ToList();
        return found.Count == 1 ? found[0] : throw new InvalidOperationException($"{Variant} has {found.Count} {typeof(T).Name}, not one");
    }

    public T Single<T>(string name) where T : IKubernetesObject<V1ObjectMeta>
    {
        var found = All<T>().Where(item => item.Metadata.Name == name).ToList();
        return found.Count == 1 ? found[0] : throw new InvalidOperationException($"{Variant} has {found.Count} {typeof(T).Name} named {name}, not one");
    }

    public static object Type(BuiltResource resource)
    {
        try
        {
            // JSON is YAML, and the YAML reader is the one with a strict mode.
            return KubernetesYaml.LoadAllFromString(resource.Body.ToJsonString(), OpenShiftTypes, strict: true).Single();
        }
        catch (Exception exception) when (exception is YamlDotNet.Core.YamlException or KeyNotFoundException)
        {
            throw new FormatException($"{resource.Id} does not fit its API type: {exception.Message}", exception);
        }
    }
}
