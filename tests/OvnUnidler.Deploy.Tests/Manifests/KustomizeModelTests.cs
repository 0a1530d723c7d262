using k8s.Models;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>The tests' model of kustomize refuses what it does not resolve, instead of guessing.</summary>
public sealed class KustomizeModelTests
{
    private const string Header = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";

    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  mode: central\n";

    [Fact]
    public void A_kustomization_field_it_does_not_model_is_refused()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("kustomization.yaml", Header + "resources:\n- configmap.yaml\ncommonLabels:\n  team: net\n");
        directory.Write("configmap.yaml", ConfigMap);

        var refusal = Assert.Throws<NotSupportedException>(() => KustomizeBuild.Run(directory.Path));
        Assert.Contains("commonLabels", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_outside_the_kustomization_directory_is_refused_as_kustomize_refuses_it()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("configmap.yaml", ConfigMap);
        directory.Write("overlay/kustomization.yaml", Header + "resources:\n- ../configmap.yaml\n");

        var refusal = Assert.Throws<InvalidOperationException>(() => KustomizeBuild.Run(Path.Combine(directory.Path, "overlay")));
        Assert.Contains("outside its directory", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_outside_is_built_as_its_own_kustomization_with_patches_generators_and_images()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("base/kustomization.yaml", Header + "resources:\n- configmap.yaml\n- pod.yaml\n");
        directory.Write("base/configmap.yaml", ConfigMap);
        directory.Write("base/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: demo\nspec:\n  containers:\n  - name: c\n    image: registry.example:5000/team/app:1\n");
        directory.Write("overlay/settings.json", "{}");
        directory.Write("overlay/kustomization.yaml", Header + """
            resources:
            - ../base
            configMapGenerator:
            - name: generated
              namespace: demo
              files:
              - appsettings.json=settings.json
            images:
            - name: registry.example:5000/team/app
              newTag: "2"
            patches:
            - target:
                kind: ConfigMap
                name: settings
              patch: |-
                - op: test
                  path: /data/mode
                  value: central
                - op: replace
                  path: /data/mode
                  value: per-zone
            """);

        var built = KustomizeBuild.Run(Path.Combine(directory.Path, "overlay"));

        Assert.Equal("per-zone", built.Single<V1ConfigMap>("settings").Data["mode"]);
        Assert.Equal("{}", built.Single<V1ConfigMap>("generated").Data["appsettings.json"]);
        Assert.Equal("demo", built.Single<V1ConfigMap>("generated").Metadata.NamespaceProperty);
        Assert.Equal("registry.example:5000/team/app:2", built.Single<V1Pod>().Spec.Containers.Single().Image);
    }

    [Fact]
    public void A_patch_whose_target_or_test_does_not_hold_fails_the_build()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("configmap.yaml", ConfigMap);
        directory.Write("kustomization.yaml", Header + "resources:\n- configmap.yaml\npatches:\n- target:\n    kind: ConfigMap\n    name: other\n  patch: |-\n    - op: remove\n      path: /data\n");
        Assert.Throws<InvalidOperationException>(() => KustomizeBuild.Run(directory.Path));

        directory.Write("kustomization.yaml", Header + "resources:\n- configmap.yaml\npatches:\n- target:\n    kind: ConfigMap\n    name: settings\n  patch: |-\n    - op: test\n      path: /data/mode\n      value: per-zone\n");
        var failed = Assert.Throws<InvalidOperationException>(() => KustomizeBuild.Run(directory.Path));
        Assert.Contains("test of /data/mode failed", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("readOnly: yes")]
    [InlineData("defaultMode: 0440")]
    public void Scalars_that_kubectl_reads_differently_are_refused(string line)
    {
        var refusal = Assert.Throws<FormatException>(() => YamlJson.ParseObjects($"apiVersion: v1\nkind: X\n{line}\n", "inline"));

        Assert.Contains("YAML 1.1", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_the_api_type_lacks_fails_typing()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("kustomization.yaml", Header + "resources:\n- configmap.yaml\n");
        directory.Write("configmap.yaml", ConfigMap + "dataa:\n  typo: x\n");

        var refusal = Assert.Throws<FormatException>(() => KustomizeBuild.Run(directory.Path).Objects);
        Assert.Contains("dataa", refusal.Message, StringComparison.Ordinal);
    }
}
