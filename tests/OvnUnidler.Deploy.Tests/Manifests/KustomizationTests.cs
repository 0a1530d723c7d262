using System.Text.Json.Nodes;
using k8s.Models;

namespace OvnUnidler.Deploy.Tests.Manifests;

public sealed class KustomizationTests
{
    private const string Header = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Every_variant_renders_and_every_resource_fits_its_api_type_strictly(string variant)
    {
        var manifests = Variants.Get(variant);

        Assert.NotEmpty(manifests.Resources);
        Assert.Equal(manifests.Resources.Count, manifests.Objects.Count);
        Assert.Single(manifests.All<V1CustomResourceDefinition>());
        Assert.Single(manifests.All<V1Namespace>());
        Assert.Single(manifests.All<V1ServiceAccount>());
    }

    [Fact]
    public void Every_kustomization_under_deploy_and_crds_is_known_and_renders()
    {
        var found = new[] { "deploy", "crds" }
            .SelectMany(directory => Directory.EnumerateFiles(Repository.Combine(directory), "kustomization.yaml", SearchOption.AllDirectories))
            .Select(file => Repository.Relative(Path.GetDirectoryName(file)!));

        // Rendered before Assert.All, which would report a skip (no kubectl) as a failure.
        var rendered = Variants.Kustomizations.Select(Variants.Get).ToList();

        Assert.Equal(Variants.Kustomizations.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        Assert.All(rendered, manifests => Assert.NotEmpty(manifests.Objects));
    }

    [Fact]
    public void The_root_kustomization_installs_exactly_the_per_zone_variant()
    {
        var root = Variants.Get(Variants.Root).Resources.Select(resource => resource.Body.ToJsonString());
        var perZone = Variants.Get(Variants.PerZone).Resources.Select(resource => resource.Body.ToJsonString());

        Assert.Equal(perZone, root);
        Assert.Single(Variants.Get(Variants.Root).All<V1DaemonSet>());
    }

    /// <summary>
    /// Each file is removed from a copy of deploy/ and crds/ in turn; kustomize must then fail or
    /// render something else for at least one variant, or the file is dead weight.
    /// </summary>
    [Fact]
    public void Every_file_under_deploy_and_crds_changes_some_render()
    {
        using var copy = new TemporaryDirectory();
        var shipped = new[] { "deploy", "crds" }
            .SelectMany(directory => Directory.EnumerateFiles(Repository.Combine(directory), "*", SearchOption.AllDirectories))
            .Select(Repository.Relative)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var file in shipped)
        {
            copy.Write(file, File.ReadAllText(Repository.Combine(file.Split('/'))));
        }

        // The variants that include the most of the others first, so that most files fail the first render.
        string[] variants = [Variants.Root, Variants.Central, Variants.OpenShift, Variants.Crds];
        var before = variants.ToDictionary(variant => variant, variant => KubectlKustomize.Run(Path.Combine(copy.Path, variant)));
        var unused = new List<string>();
        foreach (var file in shipped)
        {
            var path = Path.Combine(copy.Path, file);
            var content = File.ReadAllText(path);
            File.Delete(path);
            if (variants.All(variant => Renders(Path.Combine(copy.Path, variant)) == before[variant]))
            {
                unused.Add(file);
            }

            File.WriteAllText(path, content);
        }

        Assert.True(unused.Count == 0, $"no variant's render depends on {string.Join(", ", unused)}: include or delete");
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Namespaced_resources_live_in_the_operator_namespace_and_cluster_resources_in_none(string variant)
    {
        Assert.All(Variants.Get(variant).Resources, resource =>
        {
            var id = resource.Id;
            if (ClusterScopedKinds.Contains(id.Kind))
            {
                Assert.True(id.Namespace is null, $"{id} is cluster-scoped but names a namespace");
            }
            else
            {
                Assert.True(id.Namespace == Variants.Namespace, $"{id} is not in {Variants.Namespace}");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Variants.KustomizationsData), MemberType = typeof(Variants))]
    public void Every_kustomization_ships_the_generated_crd_unchanged(string kustomization)
    {
        var path = Repository.Combine("crds", "idlers.unidler.ovn.org.yaml");
        var generated = YamlJson.ParseObjects(File.ReadAllText(path), path).Single();
        var shipped = Variants.Get(kustomization).Resources.Single(resource => resource.Id.Kind == "CustomResourceDefinition");

        Assert.True(JsonNode.DeepEquals(generated, shipped.Body), $"{kustomization} changes the CRD generated into crds/");
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void What_the_workload_refers_to_is_part_of_the_variant(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var manifests = workload.Manifests;
        var labels = workload.Template.Metadata.Labels;

        Assert.Contains(manifests.All<V1ServiceAccount>(), account => account.Metadata.Name == workload.Pod.ServiceAccountName);
        Assert.All(workload.Pod.Volumes.Where(volume => volume.ConfigMap is not null), volume =>
            Assert.Contains(manifests.All<V1ConfigMap>(), configMap => configMap.Metadata.Name == volume.ConfigMap.Name));
        Assert.All(workload.Container.VolumeMounts, mount => Assert.Contains(workload.Pod.Volumes, volume => volume.Name == mount.Name));
        var metrics = manifests.Single<V1Service>("ovn-unidler-metrics");
        Assert.All(metrics.Spec.Selector, selector => Assert.Equal(selector.Value, labels[selector.Key]));
        Assert.All(metrics.Spec.Ports, port => workload.Port(port.TargetPort));
    }

    /// <summary>README: one `kustomize edit set image` of the operator's image retargets a variant.</summary>
    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void One_image_edit_retargets_every_container_of_the_variant(string variant)
    {
        using var overlay = new TemporaryDirectory();
        var resource = Path.GetRelativePath(overlay.Path, Repository.Combine(variant.Split('/'))).Replace('\\', '/');
        overlay.Write("kustomization.yaml", Header + $"""
            resources:
            - {resource}
            images:
            - name: {Variants.OperatorImage}
              newName: registry.example:5000/team/ovn-unidler
              newTag: "1.2"
            """);

        var edited = BuiltManifests.Parse(variant, KubectlKustomize.Run(overlay.Path));
        var images = edited.Resources.SelectMany(item => PodTemplate.Containers(item.Body)).Select(container => container["image"]!.GetValue<string>()).ToList();

        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Equal("registry.example:5000/team/ovn-unidler:1.2", image));
    }

    private static string? Renders(string directory)
    {
        try
        {
            return KubectlKustomize.Run(directory);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
