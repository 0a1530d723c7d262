using OvnUnidler.Entities.Generation;

namespace OvnUnidler.Entities.Tests.Generation;

public sealed class CommittedCrdTests
{
    // UPDATE_CRDS=1 dotnet test --project tests/OvnUnidler.Entities.Tests rewrites crds/ instead.
    private static readonly bool Update = Environment.GetEnvironmentVariable("UPDATE_CRDS") == "1";

    public static TheoryData<string> EntityNames() => [.. EntityTypes.All.Select(type => type.FullName!)];

    [Theory]
    [MemberData(nameof(EntityNames))]
    public void Committed_crd_yaml_equals_what_the_entity_types_generate(string entityName)
    {
        var crd = CustomResourceDefinitionGenerator.Generate(EntityTypes.All.Single(type => type.FullName == entityName));
        var generated = CustomResourceDefinitionGenerator.ToYaml(crd);
        var path = Repository.Combine("crds", CustomResourceDefinitionGenerator.FileNameOf(crd));
        if (Update)
        {
            File.WriteAllText(path, generated);
        }

        var committed = File.Exists(path) ? File.ReadAllText(path) : null;

        Assert.True(
            committed == generated,
            $"""
            {path} {(committed is null ? "is missing" : "differs from what the entity types generate")} (first difference at character {FirstDifference(committed ?? "", generated)}).
            Regenerate it and commit the result:
                dotnet run --project src/OvnUnidler.Operator -- generate-crds crds
            or  UPDATE_CRDS=1 dotnet test --project tests/OvnUnidler.Entities.Tests
            """);
    }

    [Fact]
    public void Every_entity_type_has_its_crd_file_name_from_the_crd_name()
    {
        var names = CustomResourceDefinitionGenerator.GenerateAll().Select(CustomResourceDefinitionGenerator.FileNameOf).ToList();

        Assert.Equal(["idlers.unidler.ovn.org.yaml"], names);
    }

    private static int FirstDifference(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var index = 0; index < length; index++)
        {
            if (left[index] != right[index])
            {
                return index;
            }
        }

        return length;
    }
}
