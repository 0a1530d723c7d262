using k8s.Models;
using Microsoft.Extensions.Configuration;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Operator.Hosting;

namespace OvnUnidler.Deploy.Tests.Configuration;

/// <summary>
/// The configuration the operator sees inside a shipped container, built the way UnidlerHost
/// builds it: config/appsettings.json (published beside the binary), then the file mounted at
/// UnidlerHost.MountedConfiguration (from the variant's ConfigMap), then the container's
/// environment ("__" for ":"). Downward-API values are stood in for by a sample pod (<see cref="SamplePodName"/>, <see cref="SampleNodeName"/>).
/// </summary>
public sealed class ContainerConfiguration
{
    public const string SamplePodName = "ovn-unidler-5c7d9b8f6d-x2k4q";
    public const string SampleNodeName = "worker-1";

    /// <summary>What the kubelet puts in a status.podIP field reference: the pod's address.</summary>
    public const string SamplePodIp = "10.244.1.17";

    private ContainerConfiguration(IConfigurationRoot configuration, IReadOnlyDictionary<string, string> environment, string? mountedJson)
    {
        Configuration = configuration;
        Environment = environment;
        MountedJson = mountedJson;
    }

    public IConfigurationRoot Configuration { get; }

    /// <summary>The container's environment with downward-API values resolved for a sample pod.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The content of the mounted appsettings.json, or null when nothing is mounted there.</summary>
    public string? MountedJson { get; }

    /// <param name="mapPath">Rewrites file paths of the container (e.g. mounted TLS files) to paths on this machine.</param>
    public static ContainerConfiguration Of(BuiltManifests manifests, V1ObjectMeta workload, V1PodSpec pod, V1Container container, Func<string, string>? mapPath = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        mapPath ??= path => path;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.Value ?? SampleValue(variable, workload);
        }

        var mounted = MountedFile(manifests, workload, pod, container);
        var builder = new ConfigurationBuilder().AddJsonFile(Repository.Combine("config", "appsettings.json"), optional: false);
        if (mounted is not null)
        {
            builder.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mounted)));
        }

        builder.AddInMemoryCollection(environment
            .Where(variable => variable.Key.Contains("__", StringComparison.Ordinal))
            .Select(variable => KeyValuePair.Create(variable.Key.Replace("__", ":", StringComparison.Ordinal), (string?)mapPath(variable.Value))));
        return new ContainerConfiguration(builder.Build(), environment, mounted);
    }

    /// <summary>The content of the ConfigMap key mounted at UnidlerHost.MountedConfiguration, if any.</summary>
    public static string? MountedFile(BuiltManifests manifests, V1ObjectMeta workload, V1PodSpec pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var target = UnidlerHost.MountedConfiguration;
        foreach (var mount in container?.VolumeMounts ?? [])
        {
            var volume = pod.Volumes?.SingleOrDefault(candidate => candidate.Name == mount.Name)
                ?? throw new InvalidOperationException($"volumeMount {mount.Name} has no volume");
            if (volume.ConfigMap is null)
            {
                continue;
            }

            // subPath mounts one key as the file; a directory mount makes every key a file in it.
            var key = mount.SubPath is { Length: > 0 } subPath
                ? (mount.MountPath == target ? subPath : null)
                : (Path.GetDirectoryName(target) == mount.MountPath.TrimEnd('/') ? Path.GetFileName(target) : null);
            if (key is null)
            {
                continue;
            }

            var configMap = manifests.All<V1ConfigMap>().SingleOrDefault(item => item.Metadata.Name == volume.ConfigMap.Name && item.Metadata.NamespaceProperty == workload.NamespaceProperty)
                ?? throw new InvalidOperationException($"{manifests.Variant}: ConfigMap {volume.ConfigMap.Name} of volume {volume.Name} is not part of the variant");
            return configMap.Data?.TryGetValue(key, out var content) == true
                ? content
                : throw new InvalidOperationException($"{manifests.Variant}: ConfigMap {configMap.Metadata.Name} has no key {key}");
        }

        return null;
    }

    public T Bind<T>(string section) where T : new() => Configuration.GetSection(section).Get<T>() ?? new T();

    private static string SampleValue(V1EnvVar variable, V1ObjectMeta workload) => variable.ValueFrom?.FieldRef?.FieldPath switch
    {
        "metadata.name" => SamplePodName,
        "metadata.namespace" => workload.NamespaceProperty,
        "spec.nodeName" => SampleNodeName,
        "status.podIP" => SamplePodIp,
        null => throw new NotSupportedException($"env {variable.Name}: only literal values and fieldRef are modelled"),
        var other => throw new NotSupportedException($"env {variable.Name}: fieldRef {other} is not modelled"),
    };
}
