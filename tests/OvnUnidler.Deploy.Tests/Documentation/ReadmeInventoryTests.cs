using OvnUnidler.Deploy.Tests.Manifests;

namespace OvnUnidler.Deploy.Tests.Documentation;

public sealed class ReadmeInventoryTests
{
    private static IReadOnlyDictionary<string, IReadOnlyList<ReadmeInventory.Entry>> Documented =>
        ReadmeInventory.Parse(File.ReadAllText(Repository.Combine("README.md")));

    [Fact]
    public void The_readme_lists_what_each_install_directory_installs()
    {
        // deploy/per-zone is what deploy/ installs; the README sends users to deploy/ for it.
        Assert.Equal(Variants.All.Except([Variants.PerZone]).Order(StringComparer.Ordinal), Documented.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(Variants.Root)]
    [InlineData(Variants.Central)]
    [InlineData(Variants.OpenShift)]
    public void What_the_readme_says_a_directory_installs_is_exactly_its_render(string variant)
    {
        var listed = Documented[variant];
        var rendered = Variants.Get(variant).Resources.Select(resource => resource.Id).ToList();

        var unlisted = rendered.Where(id => listed.Count(entry => entry.Matches(id.Kind, id.Name)) != 1).ToList();
        var absent = listed.Where(entry => rendered.Count(id => entry.Matches(id.Kind, id.Name)) != 1).ToList();

        Assert.True(unlisted.Count == 0, $"rendered by {variant} but not listed once in README.md: {string.Join(", ", unlisted)}");
        Assert.True(absent.Count == 0, $"listed in README.md for {variant} but not rendered once: {string.Join(", ", absent)}");
    }

    [Fact]
    public void A_list_entry_that_is_not_a_kind_and_a_name_is_refused()
    {
        const string Readme = "What `kubectl apply -k deploy/` installs:\n\n- Namespace `ovn-unidler`\n- the operator's roles\n";

        var refusal = Assert.Throws<FormatException>(() => ReadmeInventory.Parse(Readme));

        Assert.Contains("the operator's roles", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_may_build_on_another_and_a_hash_stands_for_kustomizes_suffix()
    {
        const string Readme = """
            What `kubectl apply -k deploy/` installs:

            - ConfigMap `ovn-unidler-config-<hash>`: generated.
              Continued.

            What `oc apply -k deploy/openshift/` installs: what `kubectl apply -k deploy/` installs
            (with changes), and:

            - SecurityContextConstraints `ovn-unidler`
            """;

        var parsed = ReadmeInventory.Parse(Readme);

        Assert.Equal(["ConfigMap ovn-unidler-config-<hash>", "SecurityContextConstraints ovn-unidler"], parsed["deploy/openshift"].Select(entry => entry.ToString()));
        Assert.True(parsed["deploy"].Single().Matches("ConfigMap", "ovn-unidler-config-9m286665kg"));
        Assert.False(parsed["deploy"].Single().Matches("ConfigMap", "ovn-unidler-config"));
    }
}
