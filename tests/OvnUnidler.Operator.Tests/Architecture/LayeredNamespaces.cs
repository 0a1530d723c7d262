using System.Text.RegularExpressions;
using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Slices;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OvnUnidler.Operator.Tests.Architecture;

/// <summary>
/// Namespaces under <paramref name="Root"/> in layers, lowest first: a namespace may use its own layer
/// and the layers below, never one above, and no two namespaces may depend on each other in a circle.
/// The same rules check the operator and the meta-test's fixture, so the fixture proves they can fail.
/// </summary>
public sealed record LayeredNamespaces(string Root, IReadOnlyList<IReadOnlyList<string>> Layers)
{
    public IEnumerable<string> Namespaces => Layers.SelectMany(layer => layer.Select(name => $"{Root}.{name}"));

    public IEnumerable<IArchRule> Rules() => [.. LayerRules(), CycleRule()];

    public IEnumerable<IArchRule> LayerRules()
    {
        for (var index = 0; index < Layers.Count - 1; index++)
        {
            var above = Layers.Skip(index + 1).SelectMany(layer => layer).ToList();
            yield return Types().That().ResideInNamespaceMatching(Pattern(Layers[index]))
                .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(above))
                .Because($"{string.Join(", ", Layers[index])} sit below {string.Join(", ", above)}")
                .WithoutRequiringPositiveResults();
        }
    }

    public IArchRule CycleRule() => SliceRuleDefinition.Slices().Matching($"{Root}.(*)..").Should().BeFreeOfCycles();

    /// <summary>The failure text of every rule the architecture breaks; empty when it keeps them all.</summary>
    public IReadOnlyList<string> Violations(ArchUnitNET.Domain.Architecture architecture) =>
        [.. Rules().SelectMany(rule => rule.Evaluate(architecture)).Where(result => !result.Passed).Select(result => result.Description)];

    private string Pattern(IEnumerable<string> names) =>
        $"^{Regex.Escape(Root)}\\.({string.Join("|", names.Select(Regex.Escape))})(\\..*)?$";
}
