using System.Text.Json.Nodes;
using k8s.Models;

namespace OvnUnidler.Deploy.Tests.Manifests;

public sealed class KustomizationTests
{
    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Every_variant_builds_and_every_resource_fits_its_api_type_strictly(string variant)
    {
        var manifests = Variants.Get(variant);

        Assert.NotEmpty(manifests.Resources);
        Assert.Equal(manifests.Resources.Count, manifests.Objects.Count);
        Assert.Single(manifests.All<V1CustomResourceDefinition>());
        Assert.Single(manifests.All<V1Namespace>());
        Assert.Single(manifests.All<V1ServiceAccount>());
    }

    [Fact]
    public void The_root_kustomization_installs_exactly_the_central_variant()
    {
        var root = Variants.Get(Variants.Root).Resources.Select(resource => resource.Body.ToJsonString());
        var central = Variants.Get(Variants.Central).Resources.Select(resource => resource.Body.ToJsonString());

        Assert.Equal(central, root);
    }

    [Fact]
    public void Every_file_under_deploy_and_crds_is_read_by_some_variant()
    {
        var read = Variants.All.SelectMany(variant => Variants.Get(variant).Files).Select(Path.GetFullPath).ToHashSet();
        var shipped = new[] { "deploy", "crds" }
            .SelectMany(directory => Directory.EnumerateFiles(Repository.Combine(directory), "*", SearchOption.AllDirectories))
            .Select(Path.GetFullPath);

        Assert.All(shipped, file => Assert.True(read.Contains(file), $"{Repository.Relative(file)} is read by no variant: include it or delete it"));
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
                Assert.True(id.Namespace is null, $"{id} from {resource.Source} is cluster-scoped but names a namespace");
            }
            else
            {
                Assert.True(id.Namespace == Variants.Namespace, $"{id} from {resource.Source} is not in {Variants.Namespace}");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void Every_variant_ships_the_generated_crd_unchanged(string variant)
    {
        var path = Repository.Combine("crds", "idlers.unidler.ovn.org.yaml");
        var generated = YamlJson.ParseObjects(File.ReadAllText(path), path).Single();
        var shipped = Variants.Get(variant).Resources.Single(resource => resource.Id.Kind == "CustomResourceDefinition");

        Assert.True(JsonNode.DeepEquals(generated, shipped.Body), $"{variant} changes the CRD generated into crds/");
    }

    [Theory]
    [MemberData(nameof(Variants.WithWorkloadData), MemberType = typeof(Variants))]
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
        var images = manifests.Resources.SelectMany(resource => PodTemplate.Containers(resource.Body)).Select(container => ImageReference.Parse(container["image"]!.GetValue<string>()).Name);
        Assert.All(images, image => Assert.Equal(Images.Operator, image));
    }
}
